//! Every chart kind rendered from small fixture runs into a temporary folder: the files must
//! be real PNG and SVG with the chart's title, and a missing or malformed results file must
//! be named in the error.

use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Copies a fixture run into a temp dir (plot_run writes into the run folder).
fn copy_run(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for entry in std::fs::read_dir(fixture(name)).expect("fixture exists") {
        let entry = entry.expect("entry");
        std::fs::copy(entry.path(), dir.path().join(entry.file_name())).expect("copy");
    }
    dir
}

fn check(paths: &[PathBuf], stem: &str, title: &str) {
    let svg = paths
        .iter()
        .find(|p| p.file_name().and_then(|n| n.to_str()) == Some(&format!("{stem}.svg")))
        .unwrap_or_else(|| panic!("{stem}.svg not in {paths:?}"));
    let png = svg.with_extension("png");
    assert!(paths.contains(&png), "{stem}.png not written");
    let bytes = std::fs::read(&png).expect("png readable");
    assert!(
        bytes.len() > 10_000,
        "{stem}.png is only {} bytes",
        bytes.len()
    );
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "{stem}.png is not a PNG");
    let text = std::fs::read_to_string(svg).expect("svg readable");
    assert!(text.starts_with("<svg") && text.trim_end().ends_with("</svg>"));
    assert!(text.contains(title), "{stem}.svg lacks its title {title:?}");
}

macro_rules! chart_test {
    ($test:ident, $fixture:expr, [$(($stem:expr, $title:expr)),+ $(,)?]) => {
        #[test]
        fn $test() {
            let run = copy_run($fixture);
            let paths = tvc_plot::plot_run(run.path()).expect("renders");
            $(check(&paths, $stem, $title);)+
            for p in &paths {
                assert!(p.starts_with(run.path().join("charts")), "{p:?} outside charts/");
            }
        }
    };
}

chart_test!(
    article,
    "article",
    [
        (
            "article_wall",
            "200 GETs at 83 ms each: wall time per model"
        ),
        ("latency", "Latency by percentile, keep-alive on"),
    ]
);
chart_test!(
    io_scaling,
    "io-scaling",
    [("io_scaling", "I/O scaling: GETs at 50 ms each")]
);
chart_test!(
    open_loop,
    "open-loop",
    [(
        "open_loop",
        "Open loop: GETs at 83 ms each, sent on a schedule"
    )]
);
chart_test!(memory, "memory", [("memory", "Memory of N parked units")]);
chart_test!(
    switch,
    "switch",
    [("switch", "Cost of passing a token between units")]
);
chart_test!(
    cpu,
    "cpu",
    [(
        "cpu_speedup",
        "CPU-bound work: speedup of 64 units over one after another"
    )]
);
chart_test!(
    blocking,
    "blocking",
    [(
        "blocking_p99",
        "I/O latency with CPU work on the same runtime"
    )]
);
chart_test!(
    shared_state,
    "shared-state",
    [("shared_state", "A shared counter: 8 units")]
);

/// The text of a chart's SVG, rendered from a fixture run.
fn svg_of(fixture: &str, stem: &str) -> String {
    let run = copy_run(fixture);
    tvc_plot::plot_run(run.path()).expect("renders");
    std::fs::read_to_string(run.path().join("charts").join(format!("{stem}.svg"))).expect("svg")
}

/// How many text elements of an SVG say exactly `text`.
fn labels(svg: &str, text: &str) -> usize {
    svg.lines().filter(|l| l.trim() == text).count()
}

#[test]
fn points_that_measured_nothing_are_labelled_not_dropped() {
    // Bars: the status is written where the bar would be (five models cannot go lock-free).
    let shared = svg_of("shared-state", "shared_state");
    assert_eq!(labels(&shared, "unsupported"), 5);
    assert!(
        shared.contains("Rc&lt;RefCell"),
        "the reason is in the notes"
    );
    let switch = svg_of("switch", "switch");
    assert_eq!(labels(&switch, "unsupported"), 2, "rayon, once per panel");
    assert_eq!(labels(&switch, "no switch:"), 2, "the baseline as a figure");
    // Lines: a ✗ and the status where a series stopped, in both panels; two models that
    // stop at one N for one reason share the status, and the N after it that ended the
    // same way are named in the notes, not written on top of each other.
    let memory = svg_of("memory", "memory");
    assert_eq!(
        labels(&memory, "aborted"),
        2,
        "both thread models, once a panel"
    );
    assert_eq!(
        labels(&memory, "✗"),
        2 * 4 + 1,
        "one per stop, one in the legend"
    );
    assert_eq!(labels(&memory, "timeout"), 2);
    assert_eq!(labels(&memory, "failed"), 2);
    assert!(memory.contains("threads: aborted at N = 100k, 1M"));
    assert!(
        memory.contains("16 382"),
        "the predicted thread limit is named"
    );
    assert_eq!(labels(&svg_of("io-scaling", "io_scaling"), "timeout"), 2);
}

#[test]
fn the_open_loop_compares_every_model_at_the_setting_they_share() {
    // The reference run: sequential holds one request at a time, six models hold 200.
    let svg = svg_of("open-loop", "open_loop");
    for caption in [
        "C = 200: p99 from when each request was due (corrected)",
        "C = 200: p99 from when each request was sent (uncorrected)",
        "C = 1: p99 from when each request was due (corrected)",
        "C = 1: p99 from when each request was sent (uncorrected)",
    ] {
        assert_eq!(labels(&svg, caption), 1, "{caption}");
    }
    assert!(!svg.contains("not drawn"), "every setting is drawn");
    for model in [
        "threads",
        "rayon",
        "rayon:pool=c",
        "tokio",
        "async-std",
        "smol",
    ] {
        assert!(
            svg.contains(&format!("{model} (C = 200) could not keep the rate")),
            "{model} is at C = 200"
        );
    }
}

#[test]
fn a_run_draws_only_the_charts_its_data_supports() {
    let run = copy_run("cpu");
    let paths = tvc_plot::plot_run(run.path()).expect("renders");
    let stems: Vec<_> = paths
        .iter()
        .filter_map(|p| p.file_stem().and_then(|s| s.to_str()))
        .collect();
    assert_eq!(stems, ["cpu_speedup", "cpu_speedup"]);
}

#[test]
fn a_missing_file_is_named() {
    let run = copy_run("article");
    std::fs::remove_file(run.path().join("raw.csv")).expect("remove");
    let err = tvc_plot::plot_run(run.path())
        .expect_err("no raw.csv")
        .to_string();
    assert!(err.contains("raw.csv"), "{err}");
    let run = copy_run("article");
    std::fs::remove_file(run.path().join("env.json")).expect("remove");
    let err = tvc_plot::plot_run(run.path())
        .expect_err("no env.json")
        .to_string();
    assert!(err.contains("env.json"), "{err}");
}

#[test]
fn a_malformed_file_is_named_with_its_line() {
    let run = copy_run("article");
    let raw = run.path().join("raw.csv");
    let text = std::fs::read_to_string(&raw).expect("read");
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    // A word where wall_ms (a number) belongs, on line 4 of the file.
    let column = lines[0]
        .split(',')
        .position(|c| c == "wall_ms")
        .expect("raw.csv has wall_ms");
    let mut cells: Vec<String> = lines[3].split(',').map(str::to_string).collect();
    cells[column] = "fast".into();
    lines[3] = cells.join(",");
    std::fs::write(&raw, lines.join("\n") + "\n").expect("write");
    let err = tvc_plot::plot_run(run.path())
        .expect_err("bad cell")
        .to_string();
    assert!(err.contains("raw.csv") && err.contains("line 4"), "{err}");

    let run = copy_run("article");
    std::fs::write(run.path().join("env.json"), "{ not json").expect("write");
    let err = tvc_plot::plot_run(run.path())
        .expect_err("bad json")
        .to_string();
    assert!(err.contains("env.json"), "{err}");

    let run = copy_run("memory");
    std::fs::write(run.path().join("fits.csv"), "model,slope\nthreads,big\n").expect("write");
    let err = tvc_plot::plot_run(run.path())
        .expect_err("bad fit")
        .to_string();
    assert!(err.contains("fits.csv") && err.contains("line 2"), "{err}");
}

/// `tvc compare`'s chart: the article fixture against a copy whose tokio is twice as slow
/// and whose smol is gone, so the chart has a bar that differs, bars that do not, and a
/// point of one run only in its notes.
#[test]
fn a_comparison_draws_ratios_and_names_what_it_could_not_pair() {
    let base = copy_run("article");
    let new = copy_run("article");
    let raw = std::fs::read_to_string(new.path().join("raw.csv")).expect("raw.csv");
    let header = raw.lines().next().expect("a header");
    let wall = header
        .split(',')
        .position(|c| c == "wall_ms")
        .expect("a wall_ms column");
    let mut changed = vec![header.to_string()];
    for line in raw.lines().skip(1) {
        let mut cells: Vec<String> = line.split(',').map(str::to_string).collect();
        if cells[2] == "smol" {
            continue;
        }
        if cells[2] == "tokio" {
            let w: f64 = cells[wall].parse().expect("a wall time");
            cells[wall] = (w * 2.0).to_string();
        }
        changed.push(cells.join(","));
    }
    std::fs::write(new.path().join("raw.csv"), changed.join("\n") + "\n").expect("write");
    // summary.csv would win over the changed raw rows: without it they are summarised anew.
    std::fs::remove_file(new.path().join("summary.csv")).expect("remove");
    let (b, n) = (
        tvc_results::Run::load(base.path()).expect("base"),
        tvc_results::Run::load(new.path()).expect("new"),
    );
    let cmp = tvc_results::compare::compare(&b, &n).expect("comparable");
    let tokio = cmp
        .rows_of("wall_ms")
        .find(|r| r.point.model == "tokio")
        .expect("tokio's wall time");
    assert_eq!(tokio.word(), "slower");
    let out = tempfile::tempdir().expect("tempdir");
    let paths = tvc_plot::plot_comparison(&cmp, &cmp.headline(), out.path()).expect("renders");
    check(
        &paths,
        "compare",
        "article: NEW against BASE, ratio of the medians",
    );
    let svg = std::fs::read_to_string(out.path().join("compare.svg")).expect("svg");
    assert!(svg.contains("slower"), "tokio's word");
    assert!(svg.contains("Only in BASE"), "smol's points are named");
}
