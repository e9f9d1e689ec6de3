//! Every blocker, one plan: what else blocks a question once its first blocker is fixed, and an
//! ordered set of fixes that connects it when applied together, or the step no configuration
//! passes.
//!
//! A plan is built by asking, fixing and asking again: the question's answer names its first
//! blocking step and the fixes that pass it; the plan takes the **first suggested configuration
//! change** (the first [`Suggestion`] whose fix [`Fix::is_configuration_change`], in the order
//! the answer lists them), applies it to the document ([`crate::apply::apply`]), checks the
//! changed document, asks the same question of it (resolved again by the IDs of its ends, since
//! indices may shift), and repeats. It stops when the question connects, when a blocking step
//! offers no configuration change (only [`Fix::NoConfiguration`] or a change to the question:
//! the plan is stuck there), or after [`MAX_ROUNDS`] fixes (reported as such, never a hang).
//!
//! Each suggested fix keeps its promise (applied alone, the question connects or blocks strictly
//! later, and the check adds no configuration error; see `tests/fixes.rs`), so the blockers of a
//! plan come in path order and the fixes together add no configuration error. Pure and
//! deterministic: the same document and question give the same plan. It uses only the public
//! API of [`crate::eval`], [`crate::apply`] and [`crate::query`].
//!
//! English is [`crate::render::plan`]'s.

use serde::Serialize;

use crate::apply::{ApplyError, apply, apply_checked};
use crate::check::check;
use crate::doc::{Document, Verdict};
use crate::eval::evaluate;
use crate::model::Model;
use crate::query::Query;
use crate::trace::{Component, Fix, Step, StepRef, Suggestion};

/// At most this many fixes are planned; a question still blocked after them ends the plan with
/// [`PlanOutcome::Bound`].
pub const MAX_ROUNDS: usize = 16;

/// One blocking step met while planning: where it was in that round's answer, the component it
/// belongs to, and the step itself (its rule and facts).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Blocker {
    /// The hop and step of the answer it blocked, after the fixes before it were applied.
    pub at: StepRef,
    /// The component, by kind and indices into `model` ([`crate::render::component`] names it).
    pub component: Component,
    pub step: Step,
    /// The model of that round (the document with the fixes before it applied), which the
    /// component's indices refer to.
    #[serde(skip)]
    pub model: std::sync::Arc<Model>,
}

/// How a plan ends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PlanOutcome {
    /// Applied together, the plan's fixes connect the question (no fix at all when it already
    /// connects).
    Connects,
    /// No configuration change passes the last blocker. `instead` is what its answer suggested:
    /// [`Fix::NoConfiguration`] (with the way around, if any) or a change to the question.
    Stuck { instead: Vec<Suggestion> },
    /// Still blocked (at the last blocker) after [`MAX_ROUNDS`] fixes.
    Bound { max: usize },
    /// The last blocker's first fix could not be applied to the document it was suggested for
    /// (a broken promise, reported rather than hidden). It is not among the plan's fixes.
    NotApplied { fix: Suggestion },
    /// After the last fix, the question could not be asked any more (a broken promise).
    QuestionLost,
    /// The answer is blocked but names no blocking step, so there is nothing to plan from.
    NoStep,
}

/// Every blocker of a question, in path order, and the fixes that pass them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    /// The question's own blocker first, then each one the fixes before it uncovered.
    pub blockers: Vec<Blocker>,
    /// The fixes in the order to apply them: `fixes[i]` passes `blockers[i]`. As many as there
    /// are blockers when the plan connects; one fewer when it is stuck or bound (the last
    /// blocker is the one not passed).
    pub fixes: Vec<Suggestion>,
    pub outcome: PlanOutcome,
}

impl Plan {
    /// Whether applying [`Plan::fixes`] connects the question.
    pub fn connects(&self) -> bool {
        self.outcome == PlanOutcome::Connects
    }

    /// The blockers after the first: what would still block once the first is fixed.
    pub fn further(&self) -> &[Blocker] {
        self.blockers.get(1..).unwrap_or_default()
    }

    /// The blocker no configuration passes, when the plan is stuck.
    pub fn stuck_at(&self) -> Option<&Blocker> {
        match self.outcome {
            PlanOutcome::Stuck { .. } => self.blockers.last(),
            _ => None,
        }
    }

    /// The plan's fixes, as [`apply_all`] takes them.
    pub fn fix_list(&self) -> Vec<Fix> {
        self.fixes.iter().map(|s| s.fix.clone()).collect()
    }
}

/// Apply fixes in order, each to the document the ones before it made ("Apply all").
pub fn apply_all(document: &Document, fixes: &[Fix]) -> Result<Document, ApplyError> {
    let mut doc = document.clone();
    for fix in fixes {
        doc = apply(&doc, fix)?;
    }
    Ok(doc)
}

/// Plan a question asked of `document` (`query` resolved against the check of `document`): see
/// the module's documentation.
pub fn plan(document: &Document, query: &Query) -> Plan {
    plan_within(document, query, MAX_ROUNDS)
}

/// [`plan`], with at most `max` fixes.
fn plan_within(document: &Document, query: &Query, max: usize) -> Plan {
    let checked = check(document);
    let (from, to) = query.to_doc(&checked.model);
    let (protocol, port) = (query.protocol(), query.port());
    let mut model = std::sync::Arc::new(checked.model);
    let mut doc = document.clone();
    let mut q = *query;
    let mut blockers = Vec::new();
    let mut fixes = Vec::new();
    let outcome = loop {
        let t = evaluate(&model, &q);
        if t.verdict == Verdict::Connected {
            break PlanOutcome::Connects;
        }
        let Some(at) = t.blocked_at else { break PlanOutcome::NoStep };
        let (Some(hop), Some(step)) = (t.hops.get(at.hop), t.blocking_step()) else { break PlanOutcome::NoStep };
        blockers.push(Blocker { at, component: hop.component.clone(), step: step.clone(), model: model.clone() });
        let Some(first) = t.suggestions.iter().find(|s| s.fix.is_configuration_change()) else {
            break PlanOutcome::Stuck { instead: t.suggestions };
        };
        if fixes.len() == max {
            break PlanOutcome::Bound { max };
        }
        let Ok(next) = apply_checked(&model, &doc, &first.fix) else {
            break PlanOutcome::NotApplied { fix: first.clone() };
        };
        fixes.push(first.clone());
        doc = next;
        model = std::sync::Arc::new(check(&doc).model);
        match Query::from_doc(&model, &from, &to, protocol, port) {
            Ok(again) => q = again,
            Err(_) => break PlanOutcome::QuestionLost,
        }
    };
    Plan { blockers, fixes, outcome }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::{From, Protocol, To};
    use crate::parse_document;
    use crate::rules::RuleId;

    /// A Cedar space peered with a VPC whose host `db` lacks the route back, the inbound ACL
    /// entry and the security group rule: three blockers, in that order on the path.
    const THREE_BLOCKERS: &str = r#"{
        "version": 2,
        "spaces": [{ "id": "s", "cidr": "10.0.0.0/16", "outbound_ips": ["52.1.2.3"],
            "apps": [{ "id": "api", "process_types": [{ "name": "web", "dynos": 1 }] }] }],
        "vpcs": [{
            "id": "v", "primary_cidr": "10.100.0.0/16",
            "route_tables": [{ "id": "rtb", "routes": [] }],
            "network_acls": [{ "id": "acl",
                "inbound": [{ "number": 100, "protocol": "tcp", "ports": "443", "cidr": "0.0.0.0/0", "action": "allow" }],
                "outbound": [{ "number": 100, "protocol": "all", "ports": "all", "cidr": "0.0.0.0/0", "action": "allow" }] }],
            "security_groups": [{ "id": "sg", "inbound": [],
                "outbound": [{ "protocol": "all", "ports": "all", "cidr": "0.0.0.0/0" }] }],
            "subnets": [{ "id": "sn", "cidr": "10.100.1.0/24", "route_table": "rtb", "network_acl": "acl" }],
            "hosts": [{ "id": "db", "subnet": "sn", "address": "10.100.1.5", "security_groups": ["sg"], "ports": [{ "port": 5432 }] }]
        }],
        "peerings": [{ "id": "pcx", "space": "s", "vpc": "v", "status": "active" }]
    }"#;

    fn ask(doc: &Document) -> Query {
        let m = check(doc).model;
        let from = From::Dyno { app: "api".into(), process: "web".into() };
        Query::from_doc(&m, &from, &To::Host("db".into()), Protocol::Tcp, 5432).unwrap()
    }

    fn rules(p: &Plan) -> Vec<RuleId> {
        p.blockers.iter().map(|b| b.step.rule).collect()
    }

    #[test]
    fn every_blocker_is_met_and_the_fixes_together_connect() {
        let doc = parse_document(THREE_BLOCKERS).unwrap();
        let p = plan(&doc, &ask(&doc));
        assert_eq!(p.outcome, PlanOutcome::Connects, "{p:#?}");
        assert_eq!(rules(&p), [RuleId::PeerRoute, RuleId::PeerNacl, RuleId::PeerSecurityGroup], "{p:#?}");
        assert_eq!(p.fixes.len(), 3);
        assert_eq!(p.further().len(), 2);
        let at: Vec<(usize, usize)> = p.blockers.iter().map(|b| (b.at.hop, b.at.step)).collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]), "in path order: {at:?}");
        let applied = apply_all(&doc, &p.fix_list()).unwrap();
        assert_eq!(evaluate(&check(&applied).model, &ask(&applied)).verdict, Verdict::Connected);
    }

    #[test]
    fn a_connected_question_plans_nothing() {
        let doc = parse_document(THREE_BLOCKERS).unwrap();
        let connected = apply_all(&doc, &plan(&doc, &ask(&doc)).fix_list()).unwrap();
        let p = plan(&connected, &ask(&connected));
        assert_eq!(p, Plan { blockers: Vec::new(), fixes: Vec::new(), outcome: PlanOutcome::Connects });
    }

    #[test]
    fn a_step_no_configuration_passes_ends_the_plan() {
        // The same, from a Fir space: Fir spaces cannot be peered.
        let doc =
            parse_document(&THREE_BLOCKERS.replace(r#""id": "s","#, r#""id": "s", "generation": "fir","#)).unwrap();
        let p = plan(&doc, &ask(&doc));
        assert!(
            matches!(&p.outcome, PlanOutcome::Stuck { instead } if instead.iter().all(|s| !s.fix.is_configuration_change())),
            "{p:#?}"
        );
        assert!(p.fixes.is_empty());
        assert_eq!(p.stuck_at().map(|b| b.step.rule), Some(RuleId::PeerCedarOnly), "{p:#?}");
    }

    #[test]
    fn the_plan_stops_at_the_bound() {
        let doc = parse_document(THREE_BLOCKERS).unwrap();
        let p = plan_within(&doc, &ask(&doc), 2);
        assert_eq!(p.outcome, PlanOutcome::Bound { max: 2 }, "{p:#?}");
        assert_eq!(rules(&p), [RuleId::PeerRoute, RuleId::PeerNacl, RuleId::PeerSecurityGroup]);
        assert_eq!(p.fixes.len(), 2, "the last blocker is the one not passed");
        assert!(!p.connects());
        assert_eq!(plan_within(&doc, &ask(&doc), 3).outcome, PlanOutcome::Connects);
    }
}
