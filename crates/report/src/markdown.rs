//! REPORT.md's text: the claims table, one section per claim (figures, verdict and rule,
//! chart, why), the machine, the commands that reproduce it, and the caveats. Pure layout of
//! the [`Report`] model: every number and sentence arrives already decided.

use crate::finding::{Answer, Table};
use crate::model::{self, capitalised, ClaimPart, Report};
use std::fmt::Write;

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// The whole report.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let w = &mut out;
    let _ = writeln!(w, "# {}\n", model::TITLE);
    let _ = writeln!(w, "{}\n", model::INTRO);
    let mut header = String::from(
        "| claim | the article says | measured here (Rust) | verdict | due to coroutines? |",
    );
    for l in &report.languages {
        let _ = write!(header, " {} |", model::language_column(*l));
    }
    let _ = writeln!(w, "{header}");
    let _ = writeln!(
        w,
        "|---|---|---|---|---|{}",
        "---|".repeat(report.languages.len())
    );
    for part in &report.claims {
        let f = part.finding;
        let due = match (&f.due, f.claim.due_rule) {
            (Some(d), _) => format!("**{}**: {}", d.answer.text(), cell(&d.measured)),
            (None, Some(_)) => Answer::NotMeasured.text().to_string(),
            (None, None) => "—".to_string(),
        };
        let mut row = format!(
            "| [{}](#{}) {} | {} | {} | **{}** | {due} |",
            f.claim.id,
            f.claim.id.to_lowercase(),
            cell(f.claim.claim),
            cell(f.claim.article),
            cell(&f.measured),
            f.verdict.text()
        );
        for l in &part.languages {
            let _ = write!(row, " {} |", cell(&model::language_cell(l)));
        }
        let _ = writeln!(w, "{row}");
    }
    let _ = writeln!(w);
    for part in &report.claims {
        section(w, part);
    }
    for extra in &report.extras {
        extra_section(w, extra);
    }
    machine(w, report);
    reproduce(w, report);
    caveats(w, report);
    out
}

fn chart(w: &mut String, ch: &model::Chart) {
    let stem = &ch.stem;
    let _ = writeln!(
        w,
        "![{}](charts/{stem}.png)\n\n([SVG](charts/{stem}.svg))\n",
        ch.alt
    );
}

fn section(w: &mut String, part: &ClaimPart) {
    let (c, f) = (part.claim, part.finding);
    let _ = writeln!(w, "<a id=\"{}\"></a>\n", c.id.to_lowercase());
    let _ = writeln!(w, "## {}: {}\n", c.id, c.title);
    let _ = writeln!(w, "**Claim.** {}\n", c.claim);
    let _ = writeln!(w, "**The article.** {}.\n", capitalised(c.article));
    if part.runs.is_empty() {
        let _ = writeln!(
            w,
            "**Measured.** Nothing: no run of this experiment was given.\n"
        );
    } else {
        let runs: Vec<String> = part.runs.iter().map(|r| format!("`{r}`")).collect();
        let _ = writeln!(w, "**Measured** (from {}):\n", runs.join(", "));
        for e in &f.evidence {
            let _ = writeln!(w, "- {e}");
        }
        if f.evidence.is_empty() && f.tables.is_empty() {
            let _ = writeln!(w, "- the run holds no measured point for this claim");
        }
        let _ = writeln!(w);
        for t in &f.tables {
            table(w, t);
        }
    }
    if let Some(d) = &f.due {
        let _ = writeln!(w, "**Is it the coroutines'?** {}\n", model::DUE_LEAD);
        for e in &d.evidence {
            let _ = writeln!(w, "- {e}");
        }
        let _ = writeln!(w);
    }
    let _ = writeln!(
        w,
        "**Verdict (does the effect exist): {}.** Rule: {}\n",
        f.verdict.text(),
        (c.rule)()
    );
    if let (Some(rule), Some(answer)) = (c.due_rule, part.due_answer) {
        let _ = writeln!(
            w,
            "**Due to coroutines: {}.** Rule: {}\n",
            answer.text(),
            rule()
        );
    }
    for l in &part.languages {
        language_section(w, part, l);
    }
    if !part.to_measure.is_empty() {
        let commands: Vec<String> = part.to_measure.iter().map(|c| format!("`{c}`")).collect();
        let _ = writeln!(
            w,
            "To measure it: {}, then pass the results folder to `tvc report`.\n",
            commands.join(" and ")
        );
    }
    for ch in &part.charts {
        chart(w, ch);
    }
    let _ = writeln!(w, "**Why.** {}\n", c.why);
}

/// A claim's answer in a peer language: its figures, its verdicts by the same rules, and
/// what makes it differ from Rust's where it does.
fn language_section(w: &mut String, part: &ClaimPart, l: &model::LanguagePart) {
    let (c, f, name) = (part.claim, l.finding, l.language.name());
    let _ = writeln!(w, "### {}: {name}\n", c.id);
    let _ = writeln!(w, "**Measured in {name}:**\n");
    for e in &f.evidence {
        let _ = writeln!(w, "- {e}");
    }
    if f.evidence.is_empty() && f.tables.is_empty() {
        let _ = writeln!(w, "- no {name} point was measured for this claim");
    }
    let _ = writeln!(w);
    for t in &f.tables {
        table(w, t);
    }
    if let Some(d) = &f.due {
        let _ = writeln!(w, "**Is it the coroutines'?** {}\n", model::DUE_LEAD);
        for e in &d.evidence {
            let _ = writeln!(w, "- {e}");
        }
        let _ = writeln!(w);
    }
    let _ = writeln!(w, "**Verdict in {name}: {}.**", f.verdict.text());
    if let Some(answer) = l.due_answer {
        let _ = writeln!(w, "**Due to coroutines in {name}: {}.**", answer.text());
    }
    let _ = writeln!(w);
    if l.disagrees {
        let _ = writeln!(
            w,
            "**Rust and {name} disagree** ({} against {}). {}\n",
            part.finding.verdict.text(),
            f.verdict.text(),
            c.why_in(l.language)
        );
    }
}

/// Not a claim: the spawn cost, or how far a closed-loop measurement (the article's, and
/// C1–C7's) can be trusted, from its run when one was given.
fn extra_section(w: &mut String, extra: &model::Extra) {
    let _ = writeln!(w, "## {}\n", extra.title);
    let _ = writeln!(w, "{}\n", extra.intro);
    let Some(part) = &extra.part else {
        let _ = writeln!(w, "{}\n", extra.not_measured);
        return;
    };
    let _ = writeln!(w, "**Measured** (from `{}`):\n", part.run);
    for e in &part.found.evidence {
        let _ = writeln!(w, "- {e}");
    }
    let _ = writeln!(w);
    table(w, &part.found.table);
    if let Some(ch) = &part.chart {
        chart(w, ch);
    }
}

fn table(w: &mut String, t: &Table) {
    let _ = writeln!(w, "{}:\n", t.caption);
    let _ = writeln!(
        w,
        "| {} |",
        t.header
            .iter()
            .map(|h| cell(h))
            .collect::<Vec<_>>()
            .join(" | ")
    );
    let _ = writeln!(w, "|{}", "---|".repeat(t.header.len()));
    for row in &t.rows {
        let _ = writeln!(
            w,
            "| {} |",
            row.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | ")
        );
    }
    let _ = writeln!(w);
}

fn machine(w: &mut String, report: &Report) {
    let _ = writeln!(w, "## The machine\n");
    let Some(m) = &report.machine else {
        return;
    };
    let _ = writeln!(w, "| | |\n|---|---|");
    for (k, v) in &m.rows {
        let _ = writeln!(w, "| {k} | {} |", cell(v));
    }
    if let Some(others) = &m.others {
        let _ = writeln!(
            w,
            "\nThe runs come from more than one machine ({others}); the table shows the first."
        );
    }
    let _ = writeln!(w);
    if let Some(cal) = &report.calibration {
        table(w, &cal.table);
        if let Some(drift) = &cal.drift {
            let _ = writeln!(w, "{drift}\n");
        }
    }
}

fn reproduce(w: &mut String, report: &Report) {
    let r = &report.reproduce;
    let _ = writeln!(w, "## Reproduce\n");
    let _ = writeln!(
        w,
        "| experiment | results folder | started | status | repetitions | tvc commit |"
    );
    let _ = writeln!(w, "|---|---|---|---|---|---|");
    for run in &r.runs {
        let _ = writeln!(
            w,
            "| {} | `{}` | {} | {} | {} | `{}` |",
            run.experiment, run.folder, run.started, run.status, run.repetitions, run.commit
        );
    }
    for dir in &r.ignored {
        let _ = writeln!(
            w,
            "\nAlso given but not used (a later run of the same experiment was): `{dir}`."
        );
    }
    let _ = writeln!(
        w,
        "\nOn a machine with a Rust toolchain, from a checkout of commit `{}`:\n",
        r.commit
    );
    let _ = writeln!(w, "```sh\n{}\n```\n", r.commands.join("\n"));
    let _ = writeln!(
        w,
        "`tvc plot RESULTS_FOLDER` draws one run's charts into its `charts/` folder.\n"
    );
}

fn caveats(w: &mut String, report: &Report) {
    let _ = writeln!(w, "## Caveats\n");
    for i in &report.caveats {
        let _ = writeln!(w, "- {i}");
    }
}
