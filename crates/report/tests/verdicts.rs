//! The claims through the public API: the line a claim gives the summary table, its
//! statements and its table read as the report shows them. The rules, holding and failing,
//! are tested beside each claim's measuring code.

use std::path::Path;
use tvc_report::claims::{c1, c2};
use tvc_report::finding::Verdict;
use tvc_results::Run;

/// One repetition of each line (so no interval), under `header`.
fn once(header: &str, lines: &[&str]) -> Run {
    let csv = format!("{header}\n{}\n", lines.join("\n"));
    Run::from_texts(Path::new("t"), &csv, "{}", None).expect("valid CSV")
}

#[test]
fn the_summary_lines_of_the_article_run() {
    let run = once(
        "workload,model,variant,n,concurrency,delay_ms,keep_alive,status,wall_ms",
        &[
            "http,sequential,default,200,1,83,true,ok,16880",
            "http,sequential,default,200,1,83,false,ok,16940",
            "http,threads,default,200,200,83,false,ok,110",
            "http,tokio,default,200,200,83,false,ok,98.3",
        ],
    );
    let f = c1::finding(Some(&run));
    // Keep-alive off heads the line when it was measured.
    assert_eq!(
        f.measured,
        "16.94 s = 84.7 ms per GET (+2.0 % vs N × delay)"
    );
    assert_eq!(f.evidence.len(), 2);
    assert!(
        f.evidence[1].contains("(one run, no interval)"),
        "{:?}",
        f.evidence
    );
    let f = c2::finding(Some(&run));
    assert_eq!(f.verdict, Verdict::Reproduced);
    assert_eq!(f.measured, "async models −99.4 %; threads −99.4 %");
    assert_eq!(
        f.tables[0].header,
        ["model", "keep-alive on", "keep-alive off"]
    );
    assert_eq!(f.tables[0].rows[0], ["threads", "—", "110 ms, −99.4 %"]);
}
