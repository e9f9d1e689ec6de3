//! What a plan promises (issue 10, item 11), as sentences: shared by `tests/plan.rs` and the
//! property over generated documents in `tests/properties.rs`.

use spacetrace_engine::doc::Document;
use spacetrace_engine::plan::{Plan, PlanOutcome, apply_all, plan};
use spacetrace_engine::{Query, Trace, Verdict, check, evaluate, render};

/// The answer to `q` (asked of `d`) once every fix of the plan is applied.
pub fn answer_after(d: &Document, q: &Query, p: &Plan) -> Result<Trace, String> {
    let changed = apply_all(d, &p.fix_list()).map_err(|e| format!("the plan does not apply: {e:?}"))?;
    let (from, to) = q.to_doc(&check(d).model);
    let after = check(&changed);
    let q2 = Query::from_doc(&after.model, &from, &to, q.protocol(), q.port())
        .map_err(|e| format!("after the plan the question cannot be asked: {e:?}"))?;
    Ok(evaluate(&after.model, &q2))
}

/// [`answer_after`], for a plan known to apply.
#[allow(dead_code)]
pub fn after_all(d: &Document, q: &Query, p: &Plan) -> Trace {
    answer_after(d, q, p).expect("the plan applies and the question can be asked")
}

/// Everything a plan promises, as sentences: blockers in path order, one fix per blocker passed,
/// the first blocker the question's own, applied together the fixes connect (or the plan stops
/// at a step whose answer offers no configuration change), and no configuration error added.
pub fn plan_problems(d: &Document, q: &Query) -> Vec<String> {
    let checked = check(d);
    let first = evaluate(&checked.model, q);
    let p = plan(d, q);
    let mut out = Vec::new();
    if first.verdict == Verdict::Connected {
        if p != (Plan { blockers: Vec::new(), fixes: Vec::new(), outcome: PlanOutcome::Connects }) {
            out.push(format!("a connected question plans something: {p:?}"));
        }
        return out;
    }
    if p.blockers.first().map(|b| (b.at, &b.step)) != first.blocked_at.zip(first.blocking_step()) {
        out.push("the first blocker is not the answer's".to_owned());
    }
    let at: Vec<(usize, usize)> = p.blockers.iter().map(|b| (b.at.hop, b.at.step)).collect();
    if !at.windows(2).all(|w| w[0] < w[1]) {
        out.push(format!("blockers out of path order: {at:?}"));
    }
    let expected_fixes = match &p.outcome {
        PlanOutcome::Connects => p.blockers.len(),
        _ => p.blockers.len().saturating_sub(1),
    };
    if p.fixes.len() != expected_fixes || p.fixes.iter().any(|s| !s.fix.is_configuration_change()) {
        out.push(format!("{} blockers and {} fixes, ending {:?}", p.blockers.len(), p.fixes.len(), p.outcome));
    }
    match &p.outcome {
        PlanOutcome::Connects => match answer_after(d, q, &p) {
            Ok(t) if t.verdict != Verdict::Connected => {
                out.push(format!(
                    "applied together, the plan does not connect:\n{}",
                    render::trace(&checked.model, &t)
                ));
            }
            Ok(_) => {}
            Err(e) => out.push(e),
        },
        PlanOutcome::Stuck { instead } => {
            if instead.iter().any(|s| s.fix.is_configuration_change()) {
                out.push(format!("stuck, though the answer offers a configuration change: {instead:?}"));
            }
            match answer_after(d, q, &p) {
                Ok(t) if t.blocked_at.zip(t.blocking_step()) != p.blockers.last().map(|b| (b.at, &b.step)) => {
                    out.push("applied, the plan does not stop at its last blocker".to_owned());
                }
                Ok(_) => {}
                Err(e) => out.push(e),
            }
        }
        other => out.push(format!("the plan ends {other:?}")),
    }
    if let Ok(changed) = apply_all(d, &p.fix_list()) {
        out.extend(crate::support::promise::added_errors(&checked, &check(&changed)));
    }
    out
}
