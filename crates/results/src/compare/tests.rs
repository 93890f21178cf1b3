//! Pairing, ratios, intervals and words on small hand-made runs.

use super::*;
use crate::raw::{RawRow, Status};
use crate::reader::Env;
use std::path::Path;

fn key(model: &str, keep_alive: bool) -> PointKey {
    PointKey {
        experiment: "article".into(),
        model: model.into(),
        variant: "default".into(),
        n: 200,
        concurrency: 200,
        keep_alive,
        ..PointKey::default()
    }
}

/// One row per value of `walls`; throughput and memory move with them.
fn rows(key: &PointKey, walls: &[f64], status: Status) -> Vec<RawRow> {
    walls
        .iter()
        .enumerate()
        .map(|(i, &w)| {
            let mut r = RawRow::new(key.clone(), i as u32 + 1, 0, "t", "t".into());
            r.status = status;
            if status.measured() {
                r.figures.wall_ms = Some(w);
                r.figures.throughput_per_s = Some(200_000.0 / w);
                r.figures.peak_rss_kib = Some(w * 10.0);
                r.figures.errors = Some(0.0);
            } else {
                r.reason = "thread limit".into();
            }
            r
        })
        .collect()
}

fn run(dir: &str, rows: Vec<Vec<RawRow>>) -> Run {
    let raw = rows.into_iter().flatten().collect();
    Run::from_rows(Path::new(dir), raw, Vec::new(), Env::default(), None)
}

fn row<'a>(cmp: &'a Comparison, model: &str, figure: &str) -> &'a Row {
    cmp.rows
        .iter()
        .find(|r| r.point.model == model && r.figure == Some(figure))
        .unwrap_or_else(|| panic!("no {figure} row for {model}"))
}

#[test]
fn a_ratio_takes_the_opposite_ends_of_the_intervals_and_words_follow_the_figure() {
    let (p, q) = (key("tokio", true), key("smol", true));
    let base = run(
        "b",
        vec![
            rows(&p, &[90.0, 100.0, 110.0], Status::Ok),
            rows(&q, &[90.0, 100.0, 110.0], Status::Ok),
        ],
    );
    let new = run(
        "n",
        vec![
            rows(&p, &[45.0, 50.0, 55.0], Status::Ok),
            rows(&q, &[95.0, 105.0, 115.0], Status::Ok),
        ],
    );
    let cmp = compare(&base, &new).expect("comparable");
    let wall = row(&cmp, "tokio", "wall_ms");
    assert_eq!(wall.ratio(), Some(0.5));
    let (lo, hi) = wall.interval().expect("both have intervals");
    assert!((lo - 45.0 / 110.0).abs() < 1e-12 && (hi - 55.0 / 90.0).abs() < 1e-12);
    assert_eq!(
        (wall.word().as_str(), wall.better()),
        ("faster", Some(true))
    );
    // Three repetitions a side: ranges, apart by chance in 2 orders of 20.
    assert!((wall.chance().unwrap() - 0.1).abs() < 1e-12);
    let note = cmp.chance_note().expect("a note");
    assert!(
        note.contains("3 repetitions in BASE and 3 in NEW"),
        "{note}"
    );
    assert!(note.contains("10.0 %") && note.contains("a hint"), "{note}");
    // The same runs in each figure's own words and direction.
    let tput = row(&cmp, "tokio", "throughput_per_s");
    assert_eq!(
        (tput.word().as_str(), tput.better()),
        ("higher", Some(true))
    );
    let rss = row(&cmp, "tokio", "peak_rss_kib");
    assert_eq!(rss.word(), "smaller");
    // Overlapping intervals: the same, whatever the medians say.
    let smol = row(&cmp, "smol", "wall_ms");
    assert!(smol.ratio().unwrap() > 1.0);
    assert_eq!((smol.word().as_str(), smol.better()), ("same", None));
    // Zero in both: the same, with no ratio.
    let errors = row(&cmp, "tokio", "errors");
    assert_eq!((errors.word().as_str(), errors.ratio()), ("same", None));
    assert!(cmp.rows.iter().all(|r| r.figure.is_some()), "no point rows");
}

#[test]
fn intervals_that_touch_overlap() {
    let b = crate::stats::summarize(&[10.0, 20.0]).unwrap();
    let n = crate::stats::summarize(&[20.0, 30.0]).unwrap();
    assert_eq!(judge(b, n), Verdict::Same);
    let n = crate::stats::summarize(&[20.5, 30.0]).unwrap();
    assert_eq!(judge(b, n), Verdict::Higher);
    assert_eq!(judge(n, b), Verdict::Lower);
}

#[test]
fn one_repetition_gives_a_ratio_without_an_interval_or_a_word() {
    let p = key("tokio", true);
    let base = run("b", vec![rows(&p, &[100.0, 110.0], Status::Ok)]);
    let new = run("n", vec![rows(&p, &[50.0], Status::Ok)]);
    let cmp = compare(&base, &new).unwrap();
    let wall = row(&cmp, "tokio", "wall_ms");
    assert!((wall.ratio().unwrap() - 50.0 / 105.0).abs() < 1e-12);
    assert_eq!(wall.interval(), None);
    assert_eq!(wall.word(), "?");
    assert_eq!(wall.reason(), "NEW has one repetition: no interval");
    let cmp = compare(&new, &new).unwrap();
    assert_eq!(
        row(&cmp, "tokio", "wall_ms").reason(),
        "one repetition in each run: no interval"
    );
}

#[test]
fn points_of_one_run_are_listed_never_dropped() {
    let (p, q, r) = (key("tokio", true), key("smol", true), key("may", false));
    let base = run(
        "b",
        vec![
            rows(&p, &[1.0, 2.0], Status::Ok),
            rows(&q, &[1.0, 2.0], Status::Ok),
        ],
    );
    let new = run(
        "n",
        vec![
            rows(&p, &[1.0, 2.0], Status::Ok),
            rows(&r, &[1.0, 2.0], Status::Ok),
        ],
    );
    let cmp = compare(&base, &new).unwrap();
    let only: Vec<(String, String)> = cmp
        .point_rows()
        .map(|r| (r.point.model.clone(), r.word()))
        .collect();
    assert_eq!(
        only,
        [
            ("smol".to_string(), "only in BASE".to_string()),
            ("may".to_string(), "only in NEW".to_string())
        ]
    );
    let csv: Vec<CompareRow> = cmp.rows.iter().map(CompareRow::of).collect();
    let smol = csv.iter().find(|c| c.key.model == "smol").unwrap();
    assert_eq!(
        (smol.base_status.as_str(), smol.new_status.as_str()),
        ("ok", "")
    );
    // keep_alive differs between the points, so it names them.
    assert_eq!(cmp.knobs, ["keep_alive"]);
    assert_eq!(cmp.describe(&r), "may keep_alive=false");
}

#[test]
fn statuses_other_than_ok_are_shown() {
    let (p, q) = (key("threads", true), key("tokio", true));
    let base = run(
        "b",
        vec![
            rows(&p, &[1.0, 2.0], Status::Ok),
            rows(&q, &[1.0, 2.0], Status::Ok),
        ],
    );
    let mut mixed = rows(&q, &[1.0, 2.0], Status::Ok);
    mixed.extend(rows(&q, &[0.0], Status::Timeout));
    let new = run("n", vec![rows(&p, &[0.0, 0.0], Status::Aborted), mixed]);
    let cmp = compare(&base, &new).unwrap();
    let threads: Vec<&Row> = cmp
        .rows
        .iter()
        .filter(|r| r.point.model == "threads")
        .collect();
    assert_eq!(
        threads.len(),
        1,
        "one row for a point that measured nothing"
    );
    assert_eq!(threads[0].word(), "?");
    assert!(
        threads[0].reason().contains("NEW aborted: thread limit"),
        "{}",
        threads[0].reason()
    );
    let tokio = row(&cmp, "tokio", "wall_ms");
    assert_eq!(tokio.new_status.as_deref(), Some("ok=2;timeout=1"));
    assert!(
        tokio.reason().contains("NEW ok=2;timeout=1 (thread limit)"),
        "{}",
        tokio.reason()
    );
}

#[test]
fn a_figure_an_older_file_lacks_is_not_comparable_and_says_why() {
    let base = Run::from_texts(
        Path::new("old"),
        "experiment,model,status,wall_ms\narticle,tokio,ok,10\narticle,tokio,ok,12\n",
        "{}",
        None,
    )
    .unwrap();
    let new = Run::from_texts(
        Path::new("new"),
        "experiment,model,status,wall_ms,p99_ms\narticle,tokio,ok,10,3\narticle,tokio,ok,12,4\n",
        "{}",
        None,
    )
    .unwrap();
    let cmp = compare(&base, &new).unwrap();
    let p99 = cmp.rows_of("p99_ms").next().expect("a p99 row");
    assert_eq!(p99.word(), "?");
    assert!(p99.reason().contains("BASE's files have no p99_ms column"));
    assert_eq!(cmp.rows_of("wall_ms").next().unwrap().word(), "same");
}

#[test]
fn different_experiments_workloads_units_and_empty_runs_are_refused() {
    let p = key("tokio", true);
    let base = run("b", vec![rows(&p, &[1.0, 2.0], Status::Ok)]);
    let other = PointKey {
        experiment: "memory".into(),
        ..p.clone()
    };
    let e = compare(&base, &run("n", vec![rows(&other, &[1.0], Status::Ok)])).unwrap_err();
    assert!(matches!(e, CompareError::Experiments { .. }));
    assert!(
        e.to_string().contains("(article and memory)") && e.to_string().contains("BASE b"),
        "{e}"
    );
    let park = PointKey {
        workload: Workload::Park,
        ..p.clone()
    };
    let e = compare(&base, &run("n", vec![rows(&park, &[1.0], Status::Ok)])).unwrap_err();
    assert!(e.to_string().contains("(http and park)"), "{e}");
    let e = compare(&base, &run("n", Vec::new())).unwrap_err();
    assert!(e.to_string().starts_with("NEW n has no results"), "{e}");
    let text = |unit: &str| format!("experiment,model,status,wall_{unit}\narticle,tokio,ok,10\n");
    let old = Run::from_texts(Path::new("old"), &text("s"), "{}", None).unwrap();
    let new = Run::from_texts(Path::new("new"), &text("ms"), "{}", None).unwrap();
    let e = compare(&old, &new).unwrap_err();
    assert!(
        e.to_string().contains("`wall_s` in BASE, `wall_ms` in NEW"),
        "{e}"
    );
    assert!(e.is_usage());
}

#[test]
fn the_csv_has_every_row_and_reads_back() {
    let (p, q) = (key("tokio", true), key("smol", false));
    let base = run("b", vec![rows(&p, &[90.0, 100.0, 110.0], Status::Ok)]);
    let new = run(
        "n",
        vec![
            rows(&p, &[45.0, 50.0, 55.0], Status::Ok),
            rows(&q, &[1.0, 2.0], Status::Ok),
        ],
    );
    let cmp = compare(&base, &new).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = write_csv(&cmp, &dir.path().join("out")).unwrap();
    let back: Vec<CompareRow> = crate::files::read_csv(&path).unwrap();
    assert_eq!(back.len(), cmp.rows.len());
    let wall = back
        .iter()
        .find(|r| r.figure == "wall_ms")
        .expect("wall row");
    assert_eq!((wall.ratio, wall.word.as_str()), (Some(0.5), "faster"));
    assert_eq!(wall.better, Some(true));
    assert_eq!(back.last().map(|r| r.word.as_str()), Some("only in NEW"));
    assert_eq!(
        cmp.headline(),
        ["wall_ms", "peak_rss_kib"],
        "no p99 in these runs"
    );
}
