//! Where peers keep what they need on disk: under the build's `target/` folder, which cargo
//! marks with a `CACHEDIR.TAG` (found by walking up from the running executable, so the
//! main job, the tests and a copied binary all agree), else the user's cache folder.

use std::path::{Path, PathBuf};

/// Names another folder for the peers (tests of the set-up use a fresh one).
pub const PEERS_DIR_VAR: &str = "TVC_PEERS_DIR";

/// `$TVC_PEERS_DIR` when set, else `target/peers` of the build this executable belongs to,
/// else `$XDG_CACHE_HOME/tvc/peers` (`~/.cache/tvc/peers`), else the temporary folder's
/// `tvc-peers`.
pub fn peers_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os(PEERS_DIR_VAR).filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    let exe = std::env::current_exe().ok();
    let target = exe
        .as_deref()
        .and_then(|e| e.ancestors().find(|d| d.join("CACHEDIR.TAG").is_file()));
    if let Some(target) = target {
        return target.join("peers");
    }
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cache")));
    match cache {
        Some(c) => c.join("tvc").join("peers"),
        None => std::env::temp_dir().join("tvc-peers"),
    }
}

/// A short stable hash of some texts (FNV-1a, 64 bits, in hex): names a folder by what it
/// holds, so a changed program or pin gets a folder of its own.
pub fn digest<'a>(texts: impl IntoIterator<Item = &'a str>) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for text in texts {
        for b in text.bytes().chain([0xff]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

/// Writes `files` (path relative to the folder, text) into `peers_dir()/name-DIGEST/` unless
/// that folder is there already, and returns it. Written into a folder of its own first and
/// renamed into place, so a reader never sees half of it.
pub fn materialise(name: &str, files: &[(&str, &str)]) -> std::io::Result<PathBuf> {
    let texts = files.iter().flat_map(|(p, t)| [*p, *t]);
    let dir = peers_dir().join(format!("{name}-{}", digest(texts)));
    if dir.is_dir() {
        return Ok(dir);
    }
    let parent = dir.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent)?;
    let partial = parent.join(format!(".{name}-{}.partial", std::process::id()));
    let _ = std::fs::remove_dir_all(&partial);
    for (path, text) in files {
        let file = partial.join(path);
        if let Some(d) = file.parent() {
            std::fs::create_dir_all(d)?;
        }
        std::fs::write(file, text)?;
    }
    match std::fs::rename(&partial, &dir) {
        Ok(()) => Ok(dir),
        // Another process put the same files there first.
        Err(_) if dir.is_dir() => {
            let _ = std::fs::remove_dir_all(&partial);
            Ok(dir)
        }
        Err(e) => Err(e),
    }
}

/// Builds a peer's program once: `files` written as [`materialise`] does, then `build` run
/// in that folder (under a lock, so two processes do not build it at once) unless `output`
/// is there already. Returns the folder. A failed build leaves no `output` behind, so the
/// next attempt builds again.
pub fn build(
    name: &str,
    files: &[(&str, &str)],
    output: &str,
    build: impl FnOnce(&Path) -> Result<(), String>,
) -> Result<PathBuf, String> {
    let dir = materialise(name, files)
        .map_err(|e| format!("the peer's programs could not be written: {e}"))?;
    if dir.join(output).exists() {
        return Ok(dir);
    }
    let _lock = crate::setup::Lock::take(&dir.join(".build.lock"))
        .map_err(|e| format!("cannot lock {}: {e}", dir.display()))?;
    if !dir.join(output).exists() {
        build(&dir)?;
        if !dir.join(output).exists() {
            return Err(format!("the build made no {output} in {}", dir.display()));
        }
    }
    Ok(dir)
}

/// Runs a build command, its failure the last lines it wrote.
pub fn run_build(command: &mut std::process::Command, what: &str) -> Result<(), String> {
    let out = command
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|e| format!("{what} could not be started: {e}"))?;
    if out.status.success() {
        return Ok(());
    }
    Err(format!(
        "{what} failed ({}): {}",
        out.status,
        crate::setup::last_lines(&out.stderr, &out.stdout)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_digest_depends_on_every_text_and_where_it_ends() {
        assert_eq!(digest(["a", "b"]), digest(["a", "b"]));
        assert_ne!(digest(["a", "b"]), digest(["ab"]));
        assert_ne!(digest(["a", "b"]), digest(["a", "c"]));
    }

    #[test]
    fn files_are_written_once_under_a_name_of_their_content() {
        let a = materialise("test-peer", &[("pkg/x.txt", "one")]).unwrap();
        assert_eq!(std::fs::read_to_string(a.join("pkg/x.txt")).unwrap(), "one");
        assert_eq!(
            materialise("test-peer", &[("pkg/x.txt", "one")]).unwrap(),
            a
        );
        let b = materialise("test-peer", &[("pkg/x.txt", "two")]).unwrap();
        assert_ne!(a, b);
        let _ = std::fs::remove_dir_all(&a);
        let _ = std::fs::remove_dir_all(&b);
    }
}
