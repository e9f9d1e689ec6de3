//! Grading saved questions against their expectations: what `spacetrace check` reports and what
//! the fixture tests assert. One helper, used by both.

use crate::check::{Checked, Expectation};
use crate::doc::Verdict;
use crate::eval::evaluate;
use crate::rules::RuleId;
use crate::trace::Trace;

/// How an answer differs from what the question expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mismatch {
    /// The question cannot be asked of this model (see the diagnostics).
    Unanswerable,
    Verdict {
        expected: Verdict,
        got: Verdict,
    },
    /// Rules the expectation names that the answer does not cite.
    MissingRules(Vec<RuleId>),
}

/// One saved question, answered and graded.
#[derive(Debug, Clone, PartialEq)]
pub struct Graded {
    pub id: String,
    pub name: String,
    pub trace: Option<Trace>,
    pub expect: Option<Expectation>,
    pub mismatches: Vec<Mismatch>,
}

impl Graded {
    pub fn passed(&self) -> bool {
        self.mismatches.is_empty()
    }
}

/// Answer every saved question and compare each answer with its expectation.
pub fn grade(checked: &Checked) -> Vec<Graded> {
    checked
        .questions
        .iter()
        .map(|q| {
            let trace = q.query.map(|query| evaluate(&checked.model, &query));
            let mut mismatches = Vec::new();
            match (&trace, &q.expect) {
                (None, _) => mismatches.push(Mismatch::Unanswerable),
                (Some(t), Some(e)) => {
                    if t.verdict != e.verdict {
                        mismatches.push(Mismatch::Verdict { expected: e.verdict, got: t.verdict });
                    }
                    let cited = t.rules();
                    let missing: Vec<RuleId> = e.rules.iter().copied().filter(|r| !cited.contains(r)).collect();
                    if !missing.is_empty() {
                        mismatches.push(Mismatch::MissingRules(missing));
                    }
                }
                (Some(_), None) => {}
            }
            Graded { id: q.id.clone(), name: q.name.clone(), trace, expect: q.expect.clone(), mismatches }
        })
        .collect()
}
