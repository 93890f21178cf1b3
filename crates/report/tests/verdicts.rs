//! The claims through the public API: without its run each claim is "not measured", and the
//! one line a claim gives the summary table reads as the report shows it. The rules, holding
//! and failing, are tested beside each claim's measuring code.

use std::path::Path;
use tvc_report::claims::{c1, c2, c3, c4, c5, c6, c7, open_loop, CLAIMS};
use tvc_report::finding::Verdict;
use tvc_results::Run;

/// One repetition of each line (so no interval), under `header`.
fn once(header: &str, lines: &[&str]) -> Run {
    let csv = format!("{header}\n{}\n", lines.join("\n"));
    Run::from_texts(Path::new("t"), &csv, "{}", None).expect("valid CSV")
}

#[test]
fn without_its_run_every_claim_is_not_measured() {
    let findings = [
        c1::finding(None),
        c2::finding(None),
        c3::finding(None),
        c4::finding(None),
        c5::finding(None),
        c6::finding(None),
        c7::finding(None, None),
    ];
    for (f, claim) in findings.iter().zip(CLAIMS) {
        assert!(std::ptr::eq(f.claim, claim), "{}", claim.id);
        assert_eq!(
            (f.verdict, f.measured.as_str()),
            (Verdict::NotMeasured, "—")
        );
    }
    assert!(open_loop::instrument(None).is_none());
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
