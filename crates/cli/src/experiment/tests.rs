//! The parser's tests: a good file, and one mistake at a time.

use super::limits::RESERVE;
use super::*;

const GOOD: &str = r#"
name = "t"
workload = "http"
models = ["sequential", "threads", "rayon:pool=c"]
repetitions = 3
warmup = 1

[quick]
repetitions = 1

[http]
n = 20
concurrency = [10, 20]
delay_ms = 50
keep_alive = [true, false]
"#;

fn parse(src: &str) -> Result<Experiment, ExperimentError> {
    Experiment::parse(Path::new("exp.toml"), src, false)
}

fn error(src: &str) -> String {
    parse(src).expect_err("should fail").to_string()
}

#[test]
fn expands_points_repetition_major_with_one_sequential_point() {
    let e = parse(GOOD).unwrap();
    let points = e.points();
    // per rep: sequential 2 (keep-alive), threads 4, rayon 4
    assert_eq!(points.len(), 3 * 10);
    assert!(points
        .iter()
        .filter(|p| p.key.model == "sequential")
        .all(|p| p.key.concurrency == 1));
    assert_eq!(points[0].rep, 1);
    assert_eq!(points[10].rep, 2);
    assert_eq!(points[2].key.variant, "default");
}

#[test]
fn quick_overrides_repetitions() {
    let e = Experiment::parse(Path::new("x.toml"), GOOD, true).unwrap();
    assert_eq!(e.repetitions, 1);
    assert!(e.quick);
}

#[test]
fn quick_may_measure_fewer_models_and_both_lists_are_checked() {
    let short = GOOD.replace(
        "[quick]\nrepetitions = 1",
        "[quick]\nrepetitions = 1\nmodels = [\"threads\"]",
    );
    let quick = Experiment::parse(Path::new("x.toml"), &short, true).unwrap();
    assert_eq!(quick.models, [("threads".into(), "default".into())]);
    assert_eq!(parse(&short).unwrap().models.len(), 3);
    let bad = short.replace("models = [\"threads\"]", "models = [\"fibers\"]");
    let m = error(&bad);
    assert!(
        m.starts_with("exp.toml:10: key `models`: unknown model `fibers`"),
        "{m}"
    );
}

#[test]
fn unknown_key_names_file_line_and_key() {
    let m = error(&GOOD.replace("delay_ms = 50", "delay_ms = 50\nwarp = 9"));
    assert!(m.starts_with("exp.toml:15: key `warp`"), "{m}");
    assert!(m.contains("unknown field"), "{m}");
}

#[test]
fn wrong_type_names_the_key() {
    let m = error(&GOOD.replace("n = 20", "n = \"twenty\""));
    assert!(m.starts_with("exp.toml:12: key `n`"), "{m}");
}

#[test]
fn negative_sizes_are_rejected() {
    let m = error(&GOOD.replace("n = 20", "n = -5"));
    assert!(m.contains("key `n`"), "{m}");
}

#[test]
fn zero_sizes_are_rejected_with_their_line() {
    let m = error(&GOOD.replace("concurrency = [10, 20]", "concurrency = [10, 0]"));
    assert_eq!(
        m,
        "exp.toml:13: key `concurrency`: must be at least 1 (got 0)"
    );
    let m = error(&GOOD.replace("repetitions = 3", "repetitions = 0"));
    assert_eq!(m, "exp.toml:5: key `repetitions`: must be at least 1");
}

#[test]
fn a_repeated_value_is_a_duplicate_point() {
    let m = error(&GOOD.replace("concurrency = [10, 20]", "concurrency = [10, 20, 10]"));
    assert_eq!(
        m,
        "exp.toml:13: key `concurrency`: lists 10 twice: each point is measured once per \
         repetition"
    );
    let m = error(&GOOD.replace("keep_alive = [true, false]", "keep_alive = [true, true]"));
    assert!(m.contains("key `keep_alive`: lists true twice"), "{m}");
}

#[test]
fn concurrency_above_the_machine_is_refused_before_running() {
    let e = parse(&GOOD.replace("concurrency = [10, 20]", "concurrency = [10, 2000000000]"))
        .expect_err("above the machine");
    assert!(
        e.machine_limit,
        "a limit of the machine, not a mistake in the file"
    );
    assert!(
        !parse(&GOOD.replace("n = 20", "n = 0"))
            .unwrap_err()
            .machine_limit
    );
    let m = e.to_string();
    assert!(
        m.starts_with("exp.toml:13: key `concurrency`: 2000000000 requests in flight need"),
        "{m}"
    );
    assert!(m.contains("use at most"), "{m}");
    // Thread-per-request models meet the thread limit first; without them it is the
    // socket limit, whatever the machine's thread limit is.
    let limit = tvc_core::probe::ThreadLimit::predict().predicted;
    if let (Some(max), Some(files)) = (limit, tvc_core::probe::nofile_hard_limit()) {
        if max + 100 < files.saturating_sub(RESERVE) {
            let c = max + 100;
            let src = GOOD.replace("concurrency = [10, 20]", &format!("concurrency = {c}"));
            assert!(error(&src).contains("OS threads"), "{}", error(&src));
            let async_only = src.replace(
                r#"models = ["sequential", "threads", "rayon:pool=c"]"#,
                r#"models = ["tokio"]"#,
            );
            assert!(parse(&async_only).is_ok());
        }
    }
}

#[test]
fn open_loops_must_fit_the_point_timeout_and_set_n_once() {
    let open = GOOD.replace("n = 20\n", "rate = [10]\nseconds = 400\n");
    let m = error(&open);
    assert!(
        m.contains("key `seconds`: an open loop of 400 s runs 2 time(s)"),
        "{m}"
    );
    let fits = open.replace("seconds = 400", "seconds = 100");
    assert_eq!(parse(&fits).unwrap().points()[0].key.n, 1000);
    let both = fits.replace("seconds = 100", "seconds = 100\nn_per_concurrency = 2");
    assert!(error(&both).contains("not two of them"), "{}", error(&both));
}

#[test]
fn unknown_model_lists_the_known_ones() {
    let m = error(&GOOD.replace("\"threads\"", "\"fibers\""));
    assert!(
        m.starts_with("exp.toml:4: key `models`: unknown model `fibers`"),
        "{m}"
    );
    assert!(m.contains("smol"), "{m}");
}

#[test]
fn duplicate_models_are_rejected() {
    let m = error(&GOOD.replace("\"threads\"", "\"sequential\""));
    assert!(m.contains("listed twice"), "{m}");
}

#[test]
fn missing_table_and_missing_key() {
    let m = error("name = \"x\"\nworkload = \"http\"\nmodels = [\"tokio\"]\n");
    assert!(m.contains("[http]"), "{m}");
    let m = error("workload = \"http\"\nmodels = [\"tokio\"]\n[http]\n");
    assert!(m.contains("missing field `name`"), "{m}");
}

#[test]
fn malformed_toml_names_the_line() {
    let m = error("name = \"x\"\nworkload = http\n");
    assert!(m.starts_with("exp.toml:2"), "{m}");
}

/// A property: whatever the bytes, parsing returns a result and never panics. Inputs are
/// the good file with random bytes replaced, inserted or cut (a deterministic xorshift,
/// so a failure is reproducible).
#[test]
fn the_parser_never_panics_on_mangled_files() {
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let alphabet = b" =[]\"',.-_0123456789abcdefghijklmnopqrstuvwxyz\n#{}";
    for _ in 0..3000 {
        let mut bytes = GOOD.as_bytes().to_vec();
        for _ in 0..(1 + next() % 6) {
            let at = (next() as usize) % bytes.len().max(1);
            let c = alphabet[(next() as usize) % alphabet.len()];
            match next() % 3 {
                0 => bytes[at] = c,
                1 => bytes.insert(at, c),
                _ => {
                    bytes.remove(at);
                }
            }
        }
        let text = String::from_utf8_lossy(&bytes);
        for quick in [false, true] {
            if let Ok(e) = Experiment::parse(Path::new("m.toml"), &text, quick) {
                let _ = e.points();
            }
        }
    }
}

#[test]
fn unknown_workload() {
    let m = error(&GOOD.replace("workload = \"http\"", "workload = \"ftp\""));
    assert!(m.contains("key `workload`") && m.contains("ftp"), "{m}");
}

/// Every experiment file in the repository parses, full and quick: a built-in file that does
/// not is a bug (the study refuses to run it), and the others are examples users copy.
#[test]
fn every_experiment_file_parses() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../experiments");
    let mut files = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("toml") {
            continue;
        }
        files += 1;
        for quick in [false, true] {
            let e = Experiment::load(&path, quick)
                .unwrap_or_else(|e| panic!("{} (quick {quick}): {e}", path.display()));
            assert!(!e.points().is_empty(), "{}", path.display());
        }
    }
    assert!(files >= tvc_results::study::STUDY.len(), "{files} files");
}

const PARK: &str = r#"
name = "m"
workload = "park"
models = ["threads", "python:threads", "python:asyncio"]
repetitions = 1

[quick.park]
n = [1, 1000]

[quick.park.python]
n = [1]

[park]
n = [1, 1000, 10000]

[park.python]
n = [1, 100]
"#;

#[test]
fn a_languages_own_table_is_for_its_models_alone_and_quick_lays_over_it() {
    let ns = |e: &Experiment, model: &str, variant: &str| -> Vec<u64> {
        let points = e.points();
        let of = points
            .iter()
            .filter(|p| p.key.model == model && p.key.variant == variant);
        of.map(|p| p.key.n).collect()
    };
    let full = parse(PARK).unwrap();
    assert_eq!(ns(&full, "threads", "default"), [1, 1000, 10000]);
    assert_eq!(ns(&full, "python", "threads"), [1, 100]);
    assert_eq!(ns(&full, "python", "asyncio"), [1, 100]);
    let quick = Experiment::parse(Path::new("m.toml"), PARK, true).unwrap();
    assert_eq!(ns(&quick, "threads", "default"), [1, 1000]);
    assert_eq!(ns(&quick, "python", "threads"), [1]);
}

#[test]
fn a_languages_table_is_checked_like_the_workloads() {
    let e = error(&PARK.replace("[park.python]\nn = [1, 100]", "[park.python]\nhops = 3"));
    assert!(
        e.contains("exp.toml:17") && e.contains("`hops`") && e.contains("does not apply"),
        "{e}"
    );
    let e = error(&PARK.replace("[park.python]\nn = [1, 100]", "[park.python]\nn = [5, 5]"));
    assert!(
        e.contains("lists 5 twice") && e.contains("exp.toml:17"),
        "{e}"
    );
    let e = error(&PARK.replace("[park.python]", "[park.rust]"));
    assert!(e.contains("rust"), "{e}");
}
