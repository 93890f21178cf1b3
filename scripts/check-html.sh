#!/usr/bin/env bash
# Renders a report's index.html in headless Chromium and writes two screenshots, so a person
# can look at the page as a reader's browser draws it: the top of the page, and one claim's
# code panels. Not part of the tests or CI.
#
#   scripts/check-html.sh [REPORT_DIR] [OUT_DIR]
#
# REPORT_DIR defaults to report/ (the committed report of the reference run); OUT_DIR to
# target/check-html/. Installs chromium with apt-get when it is missing (as root, or through
# sudo when there is one). Knobs, as environment variables: WIDTH, HEIGHT (the window, a
# laptop's by default), CODE (the anchor of the code block to show, default code-c4-switch).
set -euo pipefail
cd "$(dirname "$0")/.."

REPORT_DIR=${1:-report}
OUT_DIR=${2:-target/check-html}
WIDTH=${WIDTH:-1366}
HEIGHT=${HEIGHT:-900}
CODE=${CODE:-code-c4-switch}

page="$REPORT_DIR/index.html"
if [ ! -f "$page" ]; then
    echo "no $page: write a report first (tvc report RUN_DIR... --out $REPORT_DIR)" >&2
    exit 2
fi

find_browser() {
    for b in chromium chromium-browser google-chrome google-chrome-stable; do
        if command -v "$b" >/dev/null 2>&1; then
            command -v "$b"
            return 0
        fi
    done
    return 1
}

if ! browser=$(find_browser); then
    echo "chromium is missing; installing it with apt-get" >&2
    if [ "$(id -u)" -eq 0 ]; then
        as_root=()
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        as_root=(sudo -n)
    else
        echo "cannot install chromium: not root and no password-less sudo." >&2
        echo "install it yourself (apt-get install chromium) and run this again." >&2
        exit 1
    fi
    if ! { "${as_root[@]}" apt-get update -qq &&
        DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq chromium >/dev/null; }; then
        echo "cannot install chromium with apt-get (see above); no screenshots taken." >&2
        exit 1
    fi
    if ! browser=$(find_browser); then
        echo "apt-get installed chromium but no chromium command is on PATH; no screenshots taken." >&2
        exit 1
    fi
fi

mkdir -p "$OUT_DIR"
url="file://$(cd "$REPORT_DIR" && pwd)/index.html"
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT

shoot() { # shoot FILE URL
    # --no-sandbox: Chromium refuses to run as root with its sandbox. No network is needed:
    # the page is one file; --virtual-time-budget lets its script run before the shot.
    "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars \
        --user-data-dir="$profile" --no-first-run --disable-extensions \
        --window-size="$WIDTH,$HEIGHT" --virtual-time-budget=3000 --allow-file-access-from-files \
        --screenshot="$1" "$2" >/dev/null 2>"$OUT_DIR/chromium.log" || {
        echo "chromium failed on $2 (see $OUT_DIR/chromium.log)" >&2
        exit 1
    }
    [ -s "$1" ] || {
        echo "chromium wrote no screenshot for $2 (see $OUT_DIR/chromium.log)" >&2
        exit 1
    }
    echo "$1"
}

shoot "$OUT_DIR/top.png" "$url"
# Headless Chromium draws a blank page when the URL itself carries a fragment, so the code
# panels are shot through a page that holds the report, scrolled to the anchor, in a frame.
frame="$OUT_DIR/at-anchor.html"
cat >"$frame" <<HTML
<!DOCTYPE html><html><head><meta charset="utf-8"><style>html, body { margin: 0; height: 100%;
overflow: hidden; } iframe { border: 0; width: 100%; height: 100%; }</style></head>
<body><iframe src="$url#$CODE"></iframe></body></html>
HTML
shoot "$OUT_DIR/code.png" "file://$(cd "$OUT_DIR" && pwd)/at-anchor.html"
