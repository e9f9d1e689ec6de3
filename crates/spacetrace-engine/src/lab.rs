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

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::check::check_text;
    use crate::render;

    /// The default scenario with a sixth peering for its space (PEER-LIMIT), edited by `edit`.
    fn lab(edit: impl FnOnce(&mut serde_json::Value)) -> Report {
        checked_lab(edit).1
    }

    fn checked_lab(edit: impl FnOnce(&mut serde_json::Value)) -> (Checked, Report) {
        let mut v: serde_json::Value = serde_json::from_str(include_str!("../../../scenarios/default.json")).unwrap();
        for i in 0..5 {
            let cidr = format!("10.{}.0.0/16", 200 + i);
            v["vpcs"].as_array_mut().unwrap().push(json!({"id": format!("vpc-{i}"), "primary_cidr": cidr}));
            v["peerings"].as_array_mut().unwrap().push(
                json!({"id": format!("pcx-{i}"), "space": "acme-prod", "vpc": format!("vpc-{i}"), "status": "active"}),
            );
        }
        edit(&mut v);
        let checked = check_text(&v.to_string());
        let r = report(&checked);
        (checked, r)
    }

    #[test]
    fn an_expected_refused_configuration_passes_and_says_so() {
        let r = lab(|v| v["expect_diagnostics"] = json!([{"rule": "PEER-LIMIT", "object": "pcx-4"}]));
        assert!(r.passed(), "{}", render::grade_summary(&r));
        assert_eq!(
            render::grade_summary(&r),
            "\u{2714} PASS: 1 expected configuration error (PEER-LIMIT), 0 unexpected; 8 of 8 expectations held"
        );
        assert_eq!(
            render::graded_configuration(&r.configuration[0]).text(0),
            "\u{2714} #1  PEER-LIMIT on \u{201c}pcx-4\u{201d}: shown"
        );
        // Without an object, anywhere will do.
        assert!(lab(|v| v["expect_diagnostics"] = json!([{"rule": "PEER-LIMIT"}])).passed());
    }

    #[test]
    fn an_unexpected_refused_configuration_fails_and_names_its_rule() {
        let r = lab(|_| {});
        assert!(!r.passed());
        assert_eq!(
            render::grade_summary(&r),
            "\u{2716} FAIL: 1 error (PEER-LIMIT not expected); 7 of 7 expectations held"
        );
    }

    #[test]
    fn a_missing_configuration_expectation_fails() {
        let r = lab(|v| v["expect_diagnostics"] = json!([{"rule": "PEER-LIMIT", "object": "pcx-3"}]));
        assert!(!r.passed());
        let line = render::graded_configuration(&r.configuration[0]);
        assert_eq!(line.standing, Standing::Differs);
        assert_eq!(
            line.text(0),
            "\u{2716} #1  PEER-LIMIT on \u{201c}pcx-3\u{201d}\n    expected  a diagnostic citing PEER-LIMIT on \u{201c}pcx-3\u{201d}\n    shown     PEER-LIMIT only on \u{201c}pcx-4\u{201d}"
        );
        assert_eq!(
            render::grade_summary(&r),
            "\u{2716} FAIL: 1 error (PEER-LIMIT not expected); 7 of 8 expectations held (differ: expected diagnostic #1)"
        );
        let r = lab(|v| v["expect_diagnostics"] = json!([{"rule": "PEER-LIMIT"}, {"rule": "TIP-LIMIT"}]));
        assert_eq!(render::graded_configuration(&r.configuration[1]).details[1].1, "no diagnostic cites TIP-LIMIT");
    }

    #[test]
    fn a_question_with_an_error_of_its_own_differs() {
        let (checked, r) = checked_lab(|v| {
            v["expect_diagnostics"] = json!([{"rule": "PEER-LIMIT"}]);
            v["questions"][0]["expect"]["rules"] = json!(["PEER-ROUTE", "NOT-A-RULE"]);
        });
        let g = &r.questions[0];
        assert_eq!(g.standing(), Standing::Differs);
        let line = render::graded_question(&checked.model, g);
        assert_eq!(line.details.last().unwrap().1, "expect.rules: \u{201c}NOT-A-RULE\u{201d} is not a rule ID.");
        assert_eq!(render::standing(g.standing()), Some("NOT as expected"));
    }
}
