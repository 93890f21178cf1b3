//! index.html: the same [`Report`] as REPORT.md, as one page that needs nothing else: the
//! charts inline as SVG (each linking to the data it draws), tables a reader can sort, and
//! under each claim the code of its workload in every model, side by side, with the lines
//! that differ marked (see [`crate::code`]). A little inline CSS and script; no network.

use crate::code::{self, Mark};
use crate::finding::{Answer, Table, Verdict};
use crate::model::{self, capitalised, Chart, ClaimPart, Report};
use std::fmt::Write;
use std::path::{Component, Path, PathBuf};
use tvc_core::registry::{self, ModelInfo};
use tvc_core::{Language, Workload};

/// `s` with the characters HTML gives a meaning escaped (safe in text and in quoted attributes).
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Text of the model, escaped, with its `code` spans (in backticks) as `<code>`.
fn inline(s: &str) -> String {
    let mut out = String::new();
    for (i, part) in s.split('`').enumerate() {
        if i % 2 == 1 {
            let _ = write!(out, "<code>{}</code>", esc(part));
        } else {
            out.push_str(&esc(part));
        }
    }
    // An odd backtick out (no closing one) stays as it was written.
    if s.matches('`').count() % 2 == 1 {
        return esc(s);
    }
    out
}

/// A path as a URL path: each byte outside the unreserved set percent-encoded.
fn url_path(path: &str) -> String {
    let mut out = String::new();
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    out
}

fn absolute(p: &Path) -> PathBuf {
    p.canonicalize().unwrap_or_else(|_| {
        std::env::current_dir()
            .map(|d| d.join(p))
            .unwrap_or_else(|_| p.to_path_buf())
    })
}

/// A link from a page in `from_dir` to `to`: relative, so the report and its results can
/// move together (a report beside its results keeps working anywhere).
pub fn relative(from_dir: &Path, to: &Path) -> String {
    let (from, to) = (absolute(from_dir), absolute(to));
    let a: Vec<Component> = from.components().collect();
    let b: Vec<Component> = to.components().collect();
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<String> = vec!["..".into(); a.len() - common];
    parts.extend(
        b[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    url_path(&parts.join("/"))
}

fn verdict_class(v: Verdict) -> String {
    format!("v v-{}", v.text().replace(' ', "-"))
}

fn answer_class(a: Answer) -> String {
    format!("v a-{}", a.text().replace(' ', "-"))
}

/// The whole page; `out_dir` is where it is written, whose `charts/` holds the SVGs it
/// takes in and from which its links to the results are made.
pub fn render(report: &Report, out_dir: &Path) -> String {
    let mut out = String::new();
    let w = &mut out;
    let _ = write!(
        w,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        esc(model::TITLE)
    );
    let _ = writeln!(w, "<header>\n<h1>{}</h1>", esc(model::TITLE));
    let _ = writeln!(w, "<p class=\"prose\">{}</p>", inline(model::INTRO));
    nav(w, report);
    let _ = writeln!(w, "</header>\n<main>");
    summary(w, report);
    for part in &report.claims {
        section(w, part, out_dir);
    }
    for extra in &report.extras {
        extra_section(w, extra, out_dir);
    }
    machine(w, report);
    reproduce(w, report);
    caveats(w, report);
    let _ = write!(w, "</main>\n<script>{SCRIPT}</script>\n</body>\n</html>\n");
    out
}

fn nav(w: &mut String, report: &Report) {
    let _ = write!(w, "<nav><a href=\"#claims\">The claims</a>");
    for part in &report.claims {
        let c = part.claim;
        let _ = write!(
            w,
            " · <a href=\"#{}\">{}</a>",
            c.id.to_lowercase(),
            esc(c.id)
        );
    }
    for extra in &report.extras {
        let _ = write!(w, " · <a href=\"#{}\">{}</a>", extra.id, esc(extra.nav));
    }
    let _ = writeln!(
        w,
        " · <a href=\"#machine\">The machine</a> · <a href=\"#reproduce\">Reproduce</a> · \
         <a href=\"#caveats\">Caveats</a></nav>"
    );
}

fn summary(w: &mut String, report: &Report) {
    let _ = writeln!(w, "<section id=\"claims\">\n<h2>The claims</h2>");
    let languages: String = report
        .languages
        .iter()
        .map(|l| format!("<th>{}</th>", esc(&model::language_column(*l))))
        .collect();
    let _ = writeln!(
        w,
        "<div class=\"scroll\"><table class=\"sortable\">\n<thead><tr><th>claim</th>\
         <th>the article says</th><th>measured here (Rust)</th><th>verdict</th>\
         <th>due to coroutines?</th>{languages}</tr></thead>\n<tbody>"
    );
    for part in &report.claims {
        let (c, f) = (part.claim, part.finding);
        let due = match (&f.due, c.due_rule) {
            (Some(d), _) => format!(
                "<span class=\"{}\">{}</span>{}",
                answer_class(d.answer),
                esc(d.answer.text()),
                // "—" says there is no figure; the answer alone says it better.
                match d.measured.as_str() {
                    "—" | "" => String::new(),
                    m => format!(": {}", inline(m)),
                }
            ),
            (None, Some(_)) => format!(
                "<span class=\"{}\">{}</span>",
                answer_class(Answer::NotMeasured),
                esc(Answer::NotMeasured.text())
            ),
            (None, None) => "—".into(),
        };
        let peers: String = part
            .languages
            .iter()
            .map(|l| {
                let due = l.due_answer.map_or_else(String::new, |a| {
                    format!(
                        "; due to coroutines: <span class=\"{}\">{}</span>",
                        answer_class(a),
                        esc(a.text())
                    )
                });
                format!(
                    "<td><span class=\"{}\">{}</span>: {}{due}</td>",
                    verdict_class(l.finding.verdict),
                    esc(l.finding.verdict.text()),
                    inline(&l.finding.measured)
                )
            })
            .collect();
        let _ = writeln!(
            w,
            "<tr><td><a href=\"#{}\">{}</a> {}</td><td>{}</td><td>{}</td>\
             <td><span class=\"{}\">{}</span></td><td>{due}</td>{peers}</tr>",
            c.id.to_lowercase(),
            esc(c.id),
            inline(c.claim),
            inline(c.article),
            inline(&f.measured),
            verdict_class(f.verdict),
            esc(f.verdict.text())
        );
    }
    let _ = writeln!(w, "</tbody></table></div>\n</section>");
}

fn list(w: &mut String, items: &[String]) {
    let _ = writeln!(w, "<ul>");
    for i in items {
        let _ = writeln!(w, "<li>{}</li>", inline(i));
    }
    let _ = writeln!(w, "</ul>");
}

fn table(w: &mut String, t: &Table) {
    // The caption as a paragraph above the table: a <caption> is as narrow as its table.
    let _ = writeln!(
        w,
        "<p class=\"prose caption\">{}:</p>\n<div class=\"scroll\"><table class=\"sortable\">",
        inline(&t.caption)
    );
    let _ = write!(w, "<thead><tr>");
    for h in &t.header {
        let _ = write!(w, "<th>{}</th>", inline(h));
    }
    let _ = writeln!(w, "</tr></thead>\n<tbody>");
    for row in &t.rows {
        let _ = write!(w, "<tr>");
        for c in row {
            let _ = write!(w, "<td>{}</td>", inline(c));
        }
        let _ = writeln!(w, "</tr>");
    }
    let _ = writeln!(w, "</tbody></table></div>");
}

/// The SVG file's content without its XML prolog, ready to sit in the page.
fn svg(path: &Path) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    let start = text.find("<svg")?;
    Some(text[start..].trim_end().to_string())
}

fn chart(w: &mut String, ch: &Chart, id: &str, out_dir: &Path) {
    let stem = &ch.stem;
    let file = out_dir.join("charts").join(format!("{stem}.svg"));
    let _ = writeln!(
        w,
        "<figure class=\"chart\" id=\"{}\" data-chart=\"{}\">",
        esc(id),
        esc(stem)
    );
    match svg(&file) {
        Some(s) => {
            let _ = writeln!(w, "{s}");
        }
        None => {
            let _ = writeln!(w, "<p>(the chart could not be read: {})</p>", esc(stem));
        }
    }
    let _ = write!(
        w,
        "<figcaption>{} · <a href=\"charts/{s}.svg\">SVG</a> · <a href=\"charts/{s}.png\">PNG</a>",
        esc(&ch.alt),
        s = url_path(stem)
    );
    if let Some(dir) = &ch.run_dir {
        let _ = write!(
            w,
            " · data (<code>{}</code>): <a href=\"{}\">raw.csv</a>, <a href=\"{}\">summary.csv</a>",
            esc(&dir.display().to_string()),
            esc(&relative(out_dir, &dir.join("raw.csv"))),
            esc(&relative(out_dir, &dir.join("summary.csv")))
        );
    }
    let _ = writeln!(w, "</figcaption>\n</figure>");
}

fn section(w: &mut String, part: &ClaimPart, out_dir: &Path) {
    let (c, f) = (part.claim, part.finding);
    let id = c.id.to_lowercase();
    let _ = writeln!(w, "<section class=\"claim\" id=\"{id}\">");
    let _ = writeln!(
        w,
        "<h2>{}: {} <span class=\"{}\">{}</span></h2>",
        esc(c.id),
        esc(c.title),
        verdict_class(f.verdict),
        esc(f.verdict.text())
    );
    let _ = writeln!(
        w,
        "<p class=\"prose\"><strong>Claim.</strong> {}</p>",
        inline(c.claim)
    );
    let _ = writeln!(
        w,
        "<p class=\"prose\"><strong>The article.</strong> {}.</p>",
        inline(&capitalised(c.article))
    );
    if part.runs.is_empty() {
        let _ = writeln!(
            w,
            "<p class=\"prose\"><strong>Measured.</strong> Nothing: no run of this experiment \
             was given.</p>"
        );
    } else {
        let runs: Vec<String> = part
            .runs
            .iter()
            .map(|r| format!("<code>{}</code>", esc(r)))
            .collect();
        let _ = writeln!(
            w,
            "<p class=\"prose\"><strong>Measured</strong> (from {}):</p>",
            runs.join(", ")
        );
        let mut evidence = f.evidence.clone();
        if f.evidence.is_empty() && f.tables.is_empty() {
            evidence.push("the run holds no measured point for this claim".into());
        }
        list(w, &evidence);
        for t in &f.tables {
            table(w, t);
        }
    }
    if let Some(d) = &f.due {
        let _ = writeln!(
            w,
            "<p class=\"prose\"><strong>Is it the coroutines'?</strong> {}</p>",
            inline(model::DUE_LEAD)
        );
        list(w, &d.evidence);
    }
    let _ = writeln!(
        w,
        "<p class=\"prose rule\"><strong>Verdict (does the effect exist): \
         <span class=\"{}\">{}</span>.</strong> Rule: {}</p>",
        verdict_class(f.verdict),
        esc(f.verdict.text()),
        inline(&(c.rule)())
    );
    if let (Some(rule), Some(answer)) = (c.due_rule, part.due_answer) {
        let _ = writeln!(
            w,
            "<p class=\"prose rule\"><strong>Due to coroutines: <span class=\"{}\">{}</span>.\
             </strong> Rule: {}</p>",
            answer_class(answer),
            esc(answer.text()),
            inline(&rule())
        );
    }
    for l in &part.languages {
        language_section(w, part, l);
    }
    if !part.to_measure.is_empty() {
        let commands: Vec<String> = part
            .to_measure
            .iter()
            .map(|c| format!("<code>{}</code>", esc(c)))
            .collect();
        let _ = writeln!(
            w,
            "<p class=\"prose\">To measure it: {}, then pass the results folder to \
             <code>tvc report</code>.</p>",
            commands.join(" and ")
        );
    }
    for ch in &part.charts {
        chart(w, ch, &format!("chart-{id}-{}", ch.stem), out_dir);
    }
    let _ = writeln!(
        w,
        "<p class=\"prose\"><strong>Why.</strong> {}</p>",
        inline(c.why)
    );
    for workload in &part.workloads {
        for stem in code::stems(*workload) {
            code_block(w, &id, *workload, stem);
        }
    }
    let _ = writeln!(w, "</section>");
}

/// A claim's answer in a peer language: its figures, its verdicts by the same rules, and
/// what makes it differ from Rust's where it does.
fn language_section(w: &mut String, part: &ClaimPart, l: &model::LanguagePart) {
    let (c, f, name) = (part.claim, l.finding, l.language.name());
    let _ = writeln!(
        w,
        "<div class=\"language\" id=\"{}-{}\">\n<h3>In {name} <span class=\"{}\">{}</span></h3>",
        c.id.to_lowercase(),
        name.to_lowercase(),
        verdict_class(f.verdict),
        esc(f.verdict.text())
    );
    let mut evidence = f.evidence.clone();
    if f.evidence.is_empty() && f.tables.is_empty() {
        evidence.push(format!("no {name} point was measured for this claim"));
    }
    list(w, &evidence);
    for t in &f.tables {
        table(w, t);
    }
    if let Some(d) = &f.due {
        let _ = writeln!(
            w,
            "<p class=\"prose\"><strong>Is it the coroutines'?</strong> {}</p>",
            inline(model::DUE_LEAD)
        );
        list(w, &d.evidence);
    }
    let due = l.due_answer.map_or_else(String::new, |a| {
        format!(
            " <strong>Due to coroutines in {name}: <span class=\"{}\">{}</span>.</strong>",
            answer_class(a),
            esc(a.text())
        )
    });
    let _ = writeln!(
        w,
        "<p class=\"prose rule\"><strong>Verdict in {name}: <span class=\"{}\">{}</span>.\
         </strong>{due} By the rules above.</p>",
        verdict_class(f.verdict),
        esc(f.verdict.text())
    );
    if l.disagrees {
        let _ = writeln!(
            w,
            "<p class=\"prose disagree\"><strong>Rust and {name} disagree</strong> ({} against \
             {}). {}</p>",
            esc(part.finding.verdict.text()),
            esc(f.verdict.text()),
            inline(c.why_in(l.language))
        );
    }
    let _ = writeln!(w, "</div>");
}

/// One file of the workload's code in every model of the registry, one panel each in a row
/// that scrolls sideways.
fn code_block(w: &mut String, claim_id: &str, workload: Workload, stem: &str) {
    let panels = code::panels(registry::MODELS, workload, stem);
    // Lines are compared within a language: a Python file beside the Rust files would
    // otherwise be all of its own.
    let mut marks_of: Vec<(Language, std::vec::IntoIter<Vec<Mark>>)> = Language::ALL
        .iter()
        .map(|l| {
            let texts: Vec<&str> = panels
                .iter()
                .filter(|(m, _)| m.language == *l)
                .filter_map(|(_, s)| s.map(|s| s.text))
                .collect();
            (*l, code::marks(&texts).into_iter())
        })
        .collect();
    let main = code::stems(workload).first() == Some(&stem);
    let (id, file) = match main {
        true => (
            format!("code-{claim_id}-{}", workload.name()),
            String::new(),
        ),
        false => (
            format!("code-{claim_id}-{stem}"),
            format!(" (<code>{}</code>)", esc(stem)),
        ),
    };
    let _ = writeln!(
        w,
        "<details class=\"code\" id=\"{id}\" open>\n<summary>The code: the <code>{}</code> \
         workload{file} in every model</summary>",
        esc(workload.name())
    );
    let _ = writeln!(
        w,
        "<p class=\"prose legend\">Each model crate's own file for this workload, as built into \
         this tvc. Lines are compared ignoring indentation: <span class=\"same\">a line found in \
         every model's file is dimmed</span>, <span class=\"own\">a line found in this model's \
         file only is highlighted</span>, a line some models share is shown plainly; \
         <span class=\"comment\">comments</span> are not compared. Scroll the row sideways for \
         more models.</p>"
    );
    let _ = writeln!(w, "<div class=\"code-row\">");
    for (m, source) in panels {
        let mine = marks_of.iter_mut().find(|(l, _)| *l == m.language);
        let marks = source.and_then(|_| Some(mine?.1.next().unwrap_or_default()));
        panel(w, &id, m, source, marks.as_deref());
    }
    let _ = writeln!(w, "</div>\n</details>");
}

fn panel(
    w: &mut String,
    block_id: &str,
    m: &ModelInfo,
    source: Option<&code::Source>,
    marks: Option<&[Mark]>,
) {
    let (r, g, b) = m.colour;
    let _ = write!(
        w,
        "<figure class=\"panel\" id=\"{block_id}-{}\" data-model=\"{}\" \
         style=\"--model:#{r:02x}{g:02x}{b:02x}\">\n<figcaption><strong>{}</strong> \
         <span class=\"family\">{}</span>",
        esc(m.name),
        esc(m.name),
        esc(m.name),
        esc(&match m.language {
            Language::Rust => m.family.name().to_string(),
            l => format!("{}: every variant in one file", l.name()),
        })
    );
    let (Some(source), Some(marks)) = (source, marks) else {
        let _ = writeln!(
            w,
            "</figcaption>\n<p class=\"none\">No code: this model does not express this \
             workload in a file of its own.</p>\n</figure>"
        );
        return;
    };
    let own = marks.iter().filter(|m| **m == Mark::Own).count();
    let _ = writeln!(
        w,
        "<br><code class=\"path\">{}</code> <span class=\"count\">{own} line{} of its own</span>\
         </figcaption>",
        esc(source.path),
        if own == 1 { "" } else { "s" }
    );
    let _ = write!(w, "<pre><code>");
    for (i, (line, mark)) in source.text.lines().zip(marks).enumerate() {
        let _ = write!(
            w,
            "<span class=\"l {}\"><span class=\"n\">{}</span>{}</span>",
            mark.class(),
            i + 1,
            esc(line)
        );
    }
    let _ = writeln!(w, "</code></pre>\n</figure>");
}

fn extra_section(w: &mut String, extra: &model::Extra, out_dir: &Path) {
    let _ = writeln!(
        w,
        "<section id=\"{}\">\n<h2>{}</h2>\n<p class=\"prose\">{}</p>",
        extra.id,
        esc(extra.title),
        inline(extra.intro)
    );
    match &extra.part {
        None => {
            let _ = writeln!(w, "<p class=\"prose\">{}</p>", inline(extra.not_measured));
        }
        Some(part) => {
            let _ = writeln!(
                w,
                "<p class=\"prose\"><strong>Measured</strong> (from <code>{}</code>):</p>",
                esc(&part.run)
            );
            list(w, &part.found.evidence);
            table(w, &part.found.table);
            if let Some(ch) = &part.chart {
                chart(w, ch, &format!("chart-{}-{}", extra.id, ch.stem), out_dir);
            }
        }
    }
    let _ = writeln!(w, "</section>");
}

fn machine(w: &mut String, report: &Report) {
    let _ = writeln!(w, "<section id=\"machine\">\n<h2>The machine</h2>");
    if let Some(m) = &report.machine {
        let _ = writeln!(w, "<div class=\"scroll\"><table class=\"machine\"><tbody>");
        for (k, v) in &m.rows {
            let _ = writeln!(w, "<tr><th>{}</th><td>{}</td></tr>", inline(k), esc(v));
        }
        let _ = writeln!(w, "</tbody></table></div>");
        if let Some(others) = &m.others {
            let _ = writeln!(
                w,
                "<p class=\"prose\">The runs come from more than one machine ({}); the table \
                 shows the first.</p>",
                esc(others)
            );
        }
        if let Some(cal) = &report.calibration {
            table(w, &cal.table);
            if let Some(drift) = &cal.drift {
                let _ = writeln!(w, "<p class=\"prose\">{}</p>", inline(drift));
            }
        }
    }
    let _ = writeln!(w, "</section>");
}

fn reproduce(w: &mut String, report: &Report) {
    let r = &report.reproduce;
    let _ = writeln!(w, "<section id=\"reproduce\">\n<h2>Reproduce</h2>");
    let _ = writeln!(
        w,
        "<div class=\"scroll\"><table class=\"sortable\">\n<thead><tr><th>experiment</th>\
         <th>results folder</th><th>started</th><th>status</th><th>repetitions</th>\
         <th>tvc commit</th></tr></thead>\n<tbody>"
    );
    for run in &r.runs {
        let _ = writeln!(
            w,
            "<tr><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td>\
             <td><code>{}</code></td></tr>",
            esc(run.experiment),
            esc(&run.folder),
            esc(&run.started),
            esc(&run.status),
            esc(&run.repetitions),
            esc(&run.commit)
        );
    }
    let _ = writeln!(w, "</tbody></table></div>");
    for dir in &r.ignored {
        let _ = writeln!(
            w,
            "<p class=\"prose\">Also given but not used (a later run of the same experiment \
             was): <code>{}</code>.</p>",
            esc(dir)
        );
    }
    let _ = writeln!(
        w,
        "<p class=\"prose\">On a machine with a Rust toolchain, from a checkout of commit \
         <code>{}</code>:</p>\n<pre class=\"commands\"><code>{}</code></pre>",
        esc(&r.commit),
        esc(&r.commands.join("\n"))
    );
    let _ = writeln!(
        w,
        "<p class=\"prose\"><code>tvc plot RESULTS_FOLDER</code> draws one run's charts into \
         its <code>charts/</code> folder.</p>\n</section>"
    );
}

fn caveats(w: &mut String, report: &Report) {
    let _ = writeln!(w, "<section id=\"caveats\">\n<h2>Caveats</h2>");
    list(w, &report.caveats);
    let _ = writeln!(w, "</section>");
}

/// The page's look: laid out for a laptop screen, two code panels side by side.
const STYLE: &str = include_str!("html/style.css");

/// Click (or Enter on) a header to sort a table by that column, again to reverse: cells
/// compare as numbers with their units (12.2k, 9.57 KiB, 527 ms) when they start with one.
const SCRIPT: &str = include_str!("html/sort.js");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_code_spans_kept() {
        assert_eq!(
            esc("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
        assert_eq!(inline("run `a < b` now"), "run <code>a &lt; b</code> now");
        assert_eq!(inline("one ` alone"), "one ` alone");
    }

    #[test]
    fn links_are_relative_and_encoded() {
        let base = Path::new("/nowhere/results/report/t1");
        assert_eq!(
            relative(base, Path::new("/nowhere/results/article/t 0/raw.csv")),
            "../../article/t%200/raw.csv"
        );
        assert_eq!(
            relative(
                Path::new("/nowhere/report"),
                Path::new("/nowhere/report/charts/a.svg")
            ),
            "charts/a.svg"
        );
    }
}
