//! index.html parsed as a browser would (scraper, html5ever): every claim has its section,
//! every chart it shows is an inline <svg> linking to the data it draws, every model of the
//! registry has a code panel for each workload of each claim, nothing is fetched from
//! elsewhere, and text from the results cannot become markup.

use scraper::{ElementRef, Html, Selector};
use std::path::{Path, PathBuf};
use tvc_core::registry::MODELS;
use tvc_core::Workload;
use tvc_report::claims::CLAIMS;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../plot/tests/fixtures")
        .join(name)
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap_or_else(|e| panic!("{s}: {e:?}"))
}

fn page(out: &Path) -> Html {
    let text = std::fs::read_to_string(out.join("index.html")).expect("index.html written");
    Html::parse_document(&text)
}

/// The workloads a claim's experiments run, from the study's experiment files.
fn workloads(experiments: &[&str]) -> Vec<Workload> {
    let mut out = Vec::new();
    for e in experiments {
        let source = tvc_results::study::find(e)
            .expect("a study experiment")
            .source;
        let line = source
            .lines()
            .find(|l| l.starts_with("workload"))
            .expect("a workload line");
        let name = line.split('"').nth(1).expect("quoted");
        let w = Workload::parse(name).expect("a workload");
        if !out.contains(&w) {
            out.push(w);
        }
    }
    out
}

#[test]
fn the_page_holds_every_claim_chart_and_code_panel() {
    let out = tempfile::tempdir().expect("tempdir");
    let runs: Vec<PathBuf> = tvc_results::study::STUDY
        .iter()
        .map(|e| fixture(e.name))
        .collect();
    let written = tvc_report::write_report(&runs, out.path()).expect("writes");
    assert_eq!(written.html, out.path().join("index.html"));
    let doc = page(out.path());

    let title = doc.select(&sel("h1")).next().expect("a title");
    assert!(title
        .text()
        .collect::<String>()
        .contains("Threads vs coroutines"));
    let summary_rows = doc.select(&sel("#claims table tbody tr")).count();
    assert_eq!(summary_rows, CLAIMS.len());

    let mut charts = 0;
    for claim in CLAIMS.iter() {
        let id = claim.id.to_lowercase();
        let section = doc
            .select(&sel(&format!("section#{id}")))
            .next()
            .unwrap_or_else(|| panic!("no section for {}", claim.id));
        let heading: String = section
            .select(&sel("h2"))
            .next()
            .expect("a heading")
            .text()
            .collect();
        assert!(heading.starts_with(&format!("{}: ", claim.id)), "{heading}");
        let text: String = section.text().collect();
        assert!(text.contains("Verdict (does the effect exist)"), "{id}");
        assert!(text.contains("Why."), "{id}");

        // Every chart of the claim drawn beside the page is inline, with its data linked.
        for stem in claim.charts {
            let svg_file = out.path().join("charts").join(format!("{stem}.svg"));
            assert!(svg_file.is_file(), "{stem} not drawn");
            let figure = section
                .select(&sel(&format!("figure.chart[data-chart=\"{stem}\"]")))
                .next()
                .unwrap_or_else(|| panic!("{id}: no figure for {stem}"));
            assert_eq!(figure.select(&sel("svg")).count(), 1, "{id} {stem}");
            assert!(figure.select(&sel("svg text")).count() > 0, "{id} {stem}");
            let links: Vec<&str> = figure
                .select(&sel("a"))
                .filter_map(|a| a.value().attr("href"))
                .collect();
            for data in ["raw.csv", "summary.csv"] {
                let href = links
                    .iter()
                    .find(|h| h.ends_with(data))
                    .unwrap_or_else(|| panic!("{id} {stem}: no link to {data}: {links:?}"));
                assert!(!href.contains("://"), "{href}");
                assert!(out.path().join(href).is_file(), "{id} {stem}: {href}");
            }
            charts += 1;
        }

        // Each workload's code, in every model of the registry: its file, or a note that it
        // has none.
        for workload in workloads(claim.experiments) {
            let block = section
                .select(&sel(&format!("details#code-{id}-{}", workload.name())))
                .next()
                .unwrap_or_else(|| panic!("{id}: no code for {}", workload.name()));
            for model in MODELS.iter() {
                let panel = block
                    .select(&sel(&format!(
                        "figure.panel[data-model=\"{}\"]",
                        model.name
                    )))
                    .next()
                    .unwrap_or_else(|| {
                        panic!("{id} {}: no panel for {}", workload.name(), model.name)
                    });
                check_panel(panel, model.name, workload);
            }
        }
    }
    // The switch ring's second file, its socket medium, has its own row.
    let io = doc
        .select(&sel("details#code-c4-switch_io"))
        .next()
        .expect("the socket ring's code");
    for model in ["threads", "tokio", "may"] {
        let panel = io
            .select(&sel(&format!("figure.panel[data-model=\"{model}\"]")))
            .next()
            .unwrap_or_else(|| panic!("no socket-ring panel for {model}"));
        let caption: String = panel.text().collect();
        assert!(caption.contains("switch_io.rs"), "{caption}");
    }

    // C1 to C7 show 9 charts; the open-loop check one more.
    assert_eq!(charts, 9);
    assert_eq!(doc.select(&sel("figure.chart svg")).count(), charts + 1);
    assert_eq!(doc.select(&sel("#instrument figure.chart svg")).count(), 1);
    for part in [
        "section#spawn h2",
        "#machine table",
        "#reproduce table",
        "#caveats li",
    ] {
        assert!(doc.select(&sel(part)).next().is_some(), "{part}");
    }

    // Self-contained: nothing is loaded from elsewhere.
    assert_eq!(
        doc.select(&sel("link, script[src], img, iframe")).count(),
        0
    );
    for el in doc.select(&sel("[href], [src]")) {
        for attr in ["href", "src"] {
            if let Some(v) = el.value().attr(attr) {
                assert!(!v.contains("://") && !v.starts_with("//"), "{attr}={v}");
            }
        }
    }
}

/// A panel with code shows the model's file line for line, each line marked; one without
/// says so.
fn check_panel(panel: ElementRef, model: &str, workload: Workload) {
    let lines: Vec<ElementRef> = panel.select(&sel("pre code span.l")).collect();
    match tvc_report::code::source(model, workload) {
        Some(source) => {
            assert_eq!(lines.len(), source.text.lines().count(), "{}", source.path);
            let caption: String = panel
                .select(&sel("figcaption"))
                .next()
                .unwrap()
                .text()
                .collect();
            assert!(caption.contains(source.path), "{caption}");
            for (line, want) in lines.iter().zip(source.text.lines()) {
                let classes: Vec<&str> = line.value().classes().collect();
                assert_eq!(classes.len(), 2, "{classes:?}");
                let got: String = line
                    .children()
                    .skip(1)
                    .filter_map(|n| n.value().as_text().map(|t| t.to_string()))
                    .collect();
                assert_eq!(got, want, "{}", source.path);
            }
        }
        None => {
            assert!(lines.is_empty());
            let text: String = panel.text().collect();
            assert!(text.contains("No code"), "{model}: {text}");
        }
    }
}

/// Text from the results (here a folder's name) is shown as text, never taken as markup.
#[test]
fn text_from_the_results_is_escaped() {
    let out = tempfile::tempdir().expect("tempdir");
    let run = out.path().join("run <b>bold</b> & \"quoted\"");
    std::fs::create_dir_all(&run).unwrap();
    for entry in std::fs::read_dir(fixture("switch")).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            std::fs::copy(&path, run.join(path.file_name().unwrap())).unwrap();
        }
    }
    let report = out.path().join("report");
    tvc_report::write_report(std::slice::from_ref(&run), &report).expect("writes");
    let doc = page(&report);
    assert_eq!(
        doc.select(&sel("main b")).count(),
        0,
        "the name became markup"
    );
    let text: String = doc
        .select(&sel("section#c4"))
        .next()
        .unwrap()
        .text()
        .collect();
    assert!(text.contains("run <b>bold</b> & \"quoted\""), "{text}");
    // The data link still finds the file through its encoded name.
    let href = doc
        .select(&sel("section#c4 figure.chart a"))
        .filter_map(|a| a.value().attr("href"))
        .find(|h| h.ends_with("raw.csv"))
        .expect("a data link");
    assert_eq!(
        href,
        "../run%20%3Cb%3Ebold%3C/b%3E%20%26%20%22quoted%22/raw.csv"
    );
    // Claims without a run are there too, "not measured", with their code.
    let c1: String = doc
        .select(&sel("section#c1"))
        .next()
        .unwrap()
        .text()
        .collect();
    assert!(c1.contains("not measured") && c1.contains("tvc run experiments/article.toml"));
    assert!(
        doc.select(&sel("details#code-c1-http figure.panel"))
            .count()
            >= MODELS.len()
    );
}
