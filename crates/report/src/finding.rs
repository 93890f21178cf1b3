//! What a claim's figures come to, as the report prints it: the verdict, a line for the
//! summary table, the statements behind it and the tables of measured points. The claims
//! write findings; `markdown` lays them out and never computes one.

use crate::claims::Claim;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Reproduced,
    Partly,
    NotReproduced,
    NotMeasured,
}

impl Verdict {
    pub fn text(self) -> &'static str {
        match self {
            Verdict::Reproduced => "reproduced",
            Verdict::Partly => "partly",
            Verdict::NotReproduced => "not reproduced",
            Verdict::NotMeasured => "not measured",
        }
    }

    /// Reproduced when every part holds, not reproduced when none does, partly otherwise.
    pub fn of_parts(holds: &[bool]) -> Verdict {
        match (holds.iter().all(|h| *h), holds.iter().any(|h| *h)) {
            _ if holds.is_empty() => Verdict::NotMeasured,
            (true, _) => Verdict::Reproduced,
            (false, true) => Verdict::Partly,
            (false, false) => Verdict::NotReproduced,
        }
    }
}

/// The second question of a claim about coroutines: is the effect theirs, or does any
/// concurrency do the same? Answered against OS threads driving the same HTTP client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Yes,
    Partly,
    No,
    NotMeasured,
}

impl Answer {
    pub fn text(self) -> &'static str {
        match self {
            Answer::Yes => "yes",
            Answer::Partly => "partly",
            Answer::No => "no",
            Answer::NotMeasured => "not measured",
        }
    }

    /// Yes when every comparison favours the coroutines, no when none does, partly otherwise.
    pub fn of(favours: &[bool]) -> Answer {
        match (favours.iter().all(|h| *h), favours.iter().any(|h| *h)) {
            _ if favours.is_empty() => Answer::NotMeasured,
            (true, _) => Answer::Yes,
            (false, true) => Answer::Partly,
            (false, false) => Answer::No,
        }
    }
}

/// The answer to the second question, what it rests on, and the figures behind it.
#[derive(Debug, Clone)]
pub struct Due {
    pub answer: Answer,
    /// One line for the summary table.
    pub measured: String,
    pub evidence: Vec<String>,
}

impl Due {
    pub(crate) fn not_measured(why: &str) -> Due {
        Due {
            answer: Answer::NotMeasured,
            measured: "—".into(),
            evidence: vec![why.to_string()],
        }
    }
}

/// A table of measured points under a claim: a caption saying what the cells are, a header
/// and rows of already formatted cells.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub caption: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// What the runs said about one claim.
#[derive(Debug)]
pub struct Finding {
    pub claim: &'static Claim,
    pub verdict: Verdict,
    /// One line for the summary table.
    pub measured: String,
    /// The figures behind the verdict, one statement per line.
    pub evidence: Vec<String>,
    /// The measured points, in full.
    pub tables: Vec<Table>,
    /// For a claim about coroutines: whether the effect is theirs (see [`Due`]).
    pub due: Option<Due>,
}

impl Finding {
    pub(crate) fn new(
        claim: &'static Claim,
        verdict: Verdict,
        measured: String,
        evidence: Vec<String>,
    ) -> Self {
        Finding {
            claim,
            verdict,
            measured,
            evidence,
            tables: Vec::new(),
            due: None,
        }
    }

    /// The answer to "is it the coroutines'?".
    pub(crate) fn with_due(mut self, due: Due) -> Self {
        self.due = Some(due);
        self
    }

    pub(crate) fn not_measured(claim: &'static Claim, evidence: Vec<String>) -> Self {
        Finding::new(claim, Verdict::NotMeasured, "—".into(), evidence)
    }

    /// The tables that have rows (an empty table says nothing a reader needs).
    pub(crate) fn with_tables(mut self, tables: Vec<Table>) -> Self {
        self.tables = tables.into_iter().filter(|t| !t.rows.is_empty()).collect();
        self
    }
}

/// Not a claim: the open-loop check on the instrument, its statements and its table.
#[derive(Debug)]
pub struct Instrument {
    pub evidence: Vec<String>,
    pub table: Table,
}

#[cfg(test)]
mod tests {
    use super::Verdict;

    #[test]
    fn parts_make_the_verdict() {
        assert_eq!(Verdict::of_parts(&[true, true]), Verdict::Reproduced);
        assert_eq!(Verdict::of_parts(&[true, false]), Verdict::Partly);
        assert_eq!(Verdict::of_parts(&[false]), Verdict::NotReproduced);
        assert_eq!(Verdict::of_parts(&[]), Verdict::NotMeasured);
    }
}
