//! The promise a suggested fix makes: applied, its question moves forward (it connects, or it
//! blocks strictly later: at a later hop, or a later step of the same hop) and the check adds
//! no configuration error. Shared by `tests/fixes.rs` and `tests/properties.rs`.

use std::collections::BTreeMap;

use spacetrace_engine::apply::apply;
use spacetrace_engine::diagnostics::ObjectKind;
use spacetrace_engine::doc::Document;
use spacetrace_engine::trace::Fix;
use spacetrace_engine::{Checked, Query, Severity, Verdict, check, evaluate, render};

/// The document's configuration errors, counted, each told apart by what it says and where,
/// list positions left out (a rule added first in a list moves the ones after it, not their
/// problems), with one of them in words. A saved question's own error is left out: a fix that
/// lets its first end resolve may reveal a wrong second end, which says nothing about the
/// configuration.
fn configuration_errors(checked: &Checked) -> BTreeMap<String, (usize, String)> {
    let unplaced = |text: &str| {
        let mut out = String::new();
        let mut position = false;
        for c in text.chars() {
            if position && c.is_ascii_digit() {
                continue;
            }
            position = c == '[' || c == '#';
            out.push(c);
        }
        out
    };
    let mut out: BTreeMap<String, (usize, String)> = BTreeMap::new();
    for d in checked.diagnostics.iter().filter(|d| d.severity == Severity::Error) {
        let place = match &d.location {
            Some(l) if l.kind == ObjectKind::Question => continue,
            Some(l) => format!("{:?} {} {}", l.kind, unplaced(&l.object), unplaced(&l.field)),
            None => String::new(),
        };
        let entry = out.entry(format!("{:?} at {place}", d.kind)).or_insert((0, String::new()));
        entry.0 += 1;
        entry.1 = render::diagnostic_with_location(d);
    }
    out
}

/// Where a trace stands: `None` when it connects, else the (hop, step) that blocked.
fn standing(t: &spacetrace_engine::Trace) -> Option<(usize, usize)> {
    match t.verdict {
        Verdict::Connected => None,
        Verdict::Blocked => Some(t.blocked_at.map_or((0, 0), |b| (b.hop, b.step))),
    }
}

/// Whether `after` is further along than `before` (connected beats any block).
pub fn moved_forward(before: Option<(usize, usize)>, after: Option<(usize, usize)>) -> bool {
    match (before, after) {
        (_, None) => true,
        (None, Some(_)) => false,
        (Some(b), Some(a)) => a > b,
    }
}

/// What applying `fix` to `doc` does to the question `q` (asked of `checked`, the check of
/// `doc`): every broken promise, as sentences.
pub fn fix_problems(doc: &Document, checked: &Checked, q: &Query, fix: &Fix) -> Vec<String> {
    let mut out = Vec::new();
    let before = evaluate(&checked.model, q);
    let said = render::fix(fix);
    let changed = match apply(doc, fix) {
        Ok(d) => d,
        Err(e) => return vec![format!("{said}: does not apply ({e:?})")],
    };
    let after = check(&changed);
    let (was, now) = (configuration_errors(checked), configuration_errors(&after));
    for (key, (n, words)) in &now {
        if was.get(key).map_or(0, |w| w.0) < *n {
            out.push(format!("{said}: adds the error {words}"));
        }
    }
    let (from, to) = q.to_doc(&checked.model);
    let q2 = match Query::from_doc(&after.model, &from, &to, q.protocol(), q.port()) {
        Ok(q2) => q2,
        Err(e) => {
            out.push(format!("{said}: the question can no longer be asked ({e:?})"));
            return out;
        }
    };
    let t2 = evaluate(&after.model, &q2);
    if !moved_forward(standing(&before), standing(&t2)) {
        out.push(format!(
            "{said}: the question does not move forward (before at {:?}, after at {:?})\nafter:\n{}",
            standing(&before),
            standing(&t2),
            render::trace(&after.model, &t2)
        ));
    }
    out
}

/// Every broken promise of every suggestion for `q`; also a blocked answer that suggests nothing.
pub fn question_problems(doc: &Document, checked: &Checked, q: &Query) -> Vec<String> {
    let t = evaluate(&checked.model, q);
    if t.verdict == Verdict::Connected {
        return Vec::new();
    }
    let mut out = Vec::new();
    if t.suggestions.is_empty() {
        out.push("blocked, and the answer neither suggests a fix nor says that none works".to_owned());
    }
    for s in t.suggestions.iter().filter(|s| s.fix.is_configuration_change()) {
        out.extend(fix_problems(doc, checked, q, &s.fix));
    }
    if !out.is_empty() {
        out.push(format!("before:\n{}", render::trace(&checked.model, &t)));
    }
    out
}

/// The configuration errors the check `after` has that `before` has not, each in words (as
/// [`fix_problems`] counts them).
#[allow(dead_code)]
pub fn added_errors(before: &Checked, after: &Checked) -> Vec<String> {
    let (was, now) = (configuration_errors(before), configuration_errors(after));
    now.iter()
        .filter(|(key, (n, _))| was.get(*key).map_or(0, |w| w.0) < *n)
        .map(|(_, (_, words))| format!("adds the error {words}"))
        .collect()
}
