//! Grading a lab: saved questions against their expectations, and configuration expectations
//! (diagnostics the document must show) against the diagnostics. What `spacetrace check` reports,
//! what the app marks and what the fixture tests assert; the words are [`crate::render`]'s
//! (`graded_question`, `graded_configuration`, `grade_summary`).

use std::collections::BTreeMap;

use crate::check::{Checked, Expectation};
use crate::diagnostics::{Diagnostic, ObjectKind, Severity};
use crate::doc::{self, Verdict};
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

/// How a graded question or configuration expectation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    /// It answered (or showed) what was expected.
    Held,
    /// Something differs: see the mismatches and errors.
    Differs,
    /// A question with no expectation, answered.
    NoExpectation,
}

/// One saved question, answered and graded.
#[derive(Debug, Clone, PartialEq)]
pub struct Graded {
    pub id: String,
    pub name: String,
    /// The question's ends as the document gives them (by ID).
    pub from: doc::From,
    pub to: doc::To,
    pub trace: Option<Trace>,
    pub expect: Option<Expectation>,
    pub mismatches: Vec<Mismatch>,
    /// Error diagnostics on the question itself (an unknown rule ID in its expectation, a
    /// reference to nothing): a question with one does not pass.
    pub errors: Vec<Diagnostic>,
}

impl Graded {
    pub fn passed(&self) -> bool {
        self.mismatches.is_empty() && self.errors.is_empty()
    }

    pub fn standing(&self) -> Standing {
        match (self.passed(), &self.expect) {
            (false, _) => Standing::Differs,
            (true, None) => Standing::NoExpectation,
            (true, Some(_)) => Standing::Held,
        }
    }
}

/// One configuration expectation, graded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GradedConfiguration {
    /// `#n`, its position in `expect_diagnostics`.
    pub id: String,
    pub rule: RuleId,
    pub object: Option<String>,
    /// The diagnostics that show it (indices into the checked diagnostics).
    pub shown: Vec<usize>,
    /// Where else the rule is shown (objects of diagnostics citing it that this expectation does
    /// not name), for saying what was found instead.
    pub elsewhere: Vec<String>,
}

impl GradedConfiguration {
    pub fn held(&self) -> bool {
        !self.shown.is_empty()
    }

    pub fn standing(&self) -> Standing {
        if self.held() { Standing::Held } else { Standing::Differs }
    }
}

/// A whole lab graded: the diagnostics (each expected or not), the questions and the
/// configuration expectations.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub diagnostics: Vec<Diagnostic>,
    /// For each diagnostic, whether a configuration expectation covers it.
    pub expected: Vec<bool>,
    pub questions: Vec<Graded>,
    pub configuration: Vec<GradedConfiguration>,
}

impl Report {
    /// Error diagnostics a configuration expectation covers.
    pub fn expected_errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().zip(&self.expected).filter(|(d, e)| d.is_error() && **e).map(|(d, _)| d)
    }

    /// Error diagnostics no configuration expectation covers: each fails the lab.
    pub fn unexpected_errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().zip(&self.expected).filter(|(d, e)| d.is_error() && !**e).map(|(d, _)| d)
    }

    pub fn warnings(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == Severity::Warning).count()
    }

    /// Questions answered with no expectation, and no error of their own.
    pub fn without_expectation(&self) -> usize {
        self.questions.iter().filter(|g| g.standing() == Standing::NoExpectation).count()
    }

    /// Everything graded: every question but those answered with no expectation, and every
    /// configuration expectation.
    pub fn expectations(&self) -> usize {
        self.questions.len() - self.without_expectation() + self.configuration.len()
    }

    /// The IDs of what differs: questions, then configuration expectations.
    pub fn differing(&self) -> Vec<&str> {
        let questions = self.questions.iter().filter(|g| !g.passed()).map(|g| g.id.as_str());
        questions.chain(self.configuration.iter().filter(|c| !c.held()).map(|c| c.id.as_str())).collect()
    }

    pub fn held(&self) -> usize {
        self.expectations() - self.differing().len()
    }

    /// The lab passes: no error outside the configuration expectations, and every expectation
    /// held.
    pub fn passed(&self) -> bool {
        self.unexpected_errors().next().is_none() && self.differing().is_empty()
    }
}

/// Answer every saved question and compare each answer with its expectation.
pub fn grade(checked: &Checked) -> Vec<Graded> {
    // Error diagnostics located at each question, found once.
    let mut errors: BTreeMap<&str, Vec<&Diagnostic>> = BTreeMap::new();
    for d in checked.errors() {
        if let Some(l) = d.location.as_ref().filter(|l| l.kind == ObjectKind::Question) {
            errors.entry(l.object.as_str()).or_default().push(d);
        }
    }
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
            let errors =
                errors.get(q.id.as_str()).map(|e| e.iter().map(|d| (*d).clone()).collect()).unwrap_or_default();
            Graded {
                id: q.id.clone(),
                name: q.name.clone(),
                from: q.from.clone(),
                to: q.to.clone(),
                trace,
                expect: q.expect.clone(),
                mismatches,
                errors,
            }
        })
        .collect()
}

/// Whether a diagnostic concerns an object: it is where the diagnostic is, or one involved.
fn concerns(d: &Diagnostic, object: &str) -> bool {
    d.location.as_ref().is_some_and(|l| l.object == object) || d.subjects.iter().any(|s| s == object)
}

/// Grade the configuration expectations against the diagnostics.
pub fn grade_configuration(checked: &Checked) -> (Vec<GradedConfiguration>, Vec<bool>) {
    let mut by_rule: BTreeMap<RuleId, Vec<usize>> = BTreeMap::new();
    for (i, d) in checked.diagnostics.iter().enumerate() {
        for r in &d.rules {
            by_rule.entry(*r).or_default().push(i);
        }
    }
    let mut expected = vec![false; checked.diagnostics.len()];
    let graded = checked
        .expected_diagnostics
        .iter()
        .map(|e| {
            let citing = by_rule.get(&e.rule).map(Vec::as_slice).unwrap_or_default();
            let (shown, others): (Vec<usize>, Vec<usize>) =
                citing.iter().partition(|&&i| e.object.as_deref().is_none_or(|o| concerns(&checked.diagnostics[i], o)));
            for &i in &shown {
                expected[i] = true;
            }
            let mut elsewhere: Vec<String> = others
                .iter()
                .filter_map(|&i| checked.diagnostics[i].location.as_ref().map(|l| l.object.clone()))
                .filter(|o| !o.is_empty())
                .collect();
            elsewhere.dedup();
            GradedConfiguration { id: e.id.clone(), rule: e.rule, object: e.object.clone(), shown, elsewhere }
        })
        .collect();
    (graded, expected)
}

/// Grade the whole lab.
pub fn report(checked: &Checked) -> Report {
    let (configuration, expected) = grade_configuration(checked);
    Report { diagnostics: checked.diagnostics.clone(), expected, questions: grade(checked), configuration }
}
