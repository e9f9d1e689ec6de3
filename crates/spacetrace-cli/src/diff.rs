//! `spacetrace diff BEFORE AFTER [--json]`: every pair whose answer differs between two scenarios,
//! as the engine's `diff` module finds them, with the first step where the traces part.

use std::fmt::Write as _;

use serde_json::{Value, json};
use spacetrace_engine::diff::{self, Change, MatrixDiff, PairChange, StepAt, StepDifference};
use spacetrace_engine::matrix::Matrix;
use spacetrace_engine::trace::Decision;
use spacetrace_engine::{Checked, render};

use crate::args::Spec;
use crate::text::quoted;
use crate::{BAD_USAGE, FAILED, OK, Output, help, scenario};

const SPEC: Spec = Spec { command: "spacetrace diff", values: &[], flags: &["--json"] };

pub fn run(args: &[String]) -> Output {
    let parsed = match SPEC.parse(args) {
        Ok(p) => p,
        Err(e) => return Output::usage(e, help::DIFF),
    };
    if parsed.help {
        return Output::ok(help::DIFF);
    }
    let [before_path, after_path] = parsed.positionals.as_slice() else {
        return Output::usage(format!("{}: give two scenario files, BEFORE and AFTER", SPEC.command), help::DIFF);
    };
    if before_path == "-" && after_path == "-" {
        return Output::usage(
            format!("{}: standard input (-) can stand for only one of BEFORE and AFTER", SPEC.command),
            help::DIFF,
        );
    }
    let before = match scenario::load(SPEC.command, before_path) {
        Ok(c) => c,
        Err(e) => return Output::err(BAD_USAGE, e),
    };
    let after = match scenario::load(SPEC.command, after_path) {
        Ok(c) => c,
        Err(e) => return Output::err(BAD_USAGE, e),
    };
    let (before_m, after_m) = (Matrix::new(&before.model), Matrix::new(&after.model));
    report(
        Side { path: before_path, checked: &before, matrix: &before_m },
        Side { path: after_path, checked: &after, matrix: &after_m },
        parsed.flag("--json"),
    )
}

/// One of the two scenarios compared: its file, the checked scenario and its matrix.
#[derive(Clone, Copy)]
struct Side<'a> {
    path: &'a str,
    checked: &'a Checked,
    matrix: &'a Matrix,
}

impl Side<'_> {
    fn complete(&self) -> bool {
        self.matrix.is_complete(&self.checked.model)
    }

    fn sources_total(&self) -> usize {
        Matrix::source_count(&self.checked.model)
    }
}

/// The diff of two scenarios' matrices, in words or JSON. A side whose matrix is cut (see
/// `Matrix::is_complete`) is named in a note under the files (`complete: false` in the JSON).
fn report(before: Side, after: Side, json: bool) -> Output {
    let d = diff::diff_matrices(&before.checked.model, before.matrix, &after.checked.model, after.matrix);
    // Every change is printed with its first difference, computed here from the two traces.
    let firsts: Vec<Option<StepDifference>> = d
        .changes
        .iter()
        .map(|c| c.first_difference(&before.checked.model, before.matrix, &after.checked.model, after.matrix))
        .collect();
    let code = if d.is_empty() { OK } else { FAILED };
    let out = if json {
        let value = to_json(before, after, &d, &firsts);
        match serde_json::to_string_pretty(&value) {
            Ok(s) => s,
            Err(e) => return Output::err(BAD_USAGE, format!("{}: {e}", SPEC.command)),
        }
    } else {
        human(before, after, &d, &firsts)
    };
    let err: Vec<String> = [before, after]
        .iter()
        .flat_map(|side| {
            side.checked.errors().map(move |d| {
                format!("scenario error in {}: {}", quoted(side.path), render::diagnostic_with_location(d))
            })
        })
        .collect();
    Output { code, out, err: err.join("\n") }
}

/// A pair as `SOURCE → DESTINATION (TCP 443)`.
fn pair(c: &PairChange) -> String {
    format!("{} \u{2192} {} ({})", c.source, c.destination, render::port(c.protocol, c.port))
}

/// The mark `ask` prints before a step.
fn sign(d: Decision) -> &'static str {
    match d {
        Decision::Pass => "\u{2713}",
        Decision::Block => "\u{2717}",
        Decision::Note => "\u{2022}",
    }
}

/// One side of the first difference: the hop's component, then the step as `ask` prints it.
fn step_lines(out: &mut String, label: &str, side: Side, at: Option<&StepAt>) {
    match at {
        Some(s) => {
            let _ = writeln!(
                out,
                "      {label:<6}  {} \u{2014} {}",
                render::component_kind(s.component.kind),
                render::component(&side.checked.model, &s.component)
            );
            let _ =
                writeln!(out, "              {} [{}] {}", sign(s.step.decision), s.step.rule, render::step(&s.step));
        }
        None => {
            let _ = writeln!(out, "      {label:<6}  (no step here: the trace has ended or this hop has fewer steps)");
        }
    }
}

fn human(before: Side, after: Side, d: &MatrixDiff, firsts: &[Option<StepDifference>]) -> String {
    let mut out = String::new();
    let name = |side: Side| {
        let model = &side.checked.model;
        if model.name.is_empty() { quoted(side.path) } else { format!("{} ({})", quoted(side.path), model.name) }
    };
    let _ = writeln!(out, "Before: {}", name(before));
    let _ = writeln!(out, "After:  {}", name(after));
    for (side, is_before) in [(before, true), (after, false)] {
        if !side.complete() {
            let _ = writeln!(out, "{}", render::diff_cut(is_before, side.matrix.sources.len(), side.sources_total()));
        }
    }
    if d.is_empty() {
        let _ = writeln!(out, "\nNo pair changed.");
    }
    let width = [Change::Opened, Change::Closed, Change::Changed, Change::Added, Change::Removed]
        .iter()
        .map(|c| render::change(*c).len())
        .max()
        .unwrap_or(0);
    for (i, c) in d.changes.iter().enumerate() {
        let _ = writeln!(out, "\n{:<width$}  {}", render::change(c.change), pair(c));
        let _ = writeln!(out, "    before  {}", render::outcome(c.before));
        let _ = writeln!(out, "    after   {}", render::outcome(c.after));
        if let Some(Some(f)) = firsts.get(i) {
            let _ = writeln!(out, "    first difference: hop {}, step {}", f.hop + 1, f.step + 1);
            step_lines(&mut out, "before", before, f.before.as_ref());
            step_lines(&mut out, "after", after, f.after.as_ref());
        }
    }
    let _ = writeln!(out, "\nSummary: {}", render::diff_summary(&d.summary()));
    out
}

fn outcome_json(o: Option<spacetrace_engine::trace::Outcome>) -> Value {
    o.map_or(Value::Null, |o| json!({ "verdict": o.verdict, "blocked_by": o.blocked_by }))
}

/// One side of the first difference: the hop's component (kind, object ID and name, as `ask`
/// prints it) and the step.
fn step_json(side: Side, at: Option<&StepAt>) -> Value {
    at.map_or(Value::Null, |s| {
        json!({
            "component": {
                "kind": s.component.kind,
                "id": s.component.id,
                "name": render::component(&side.checked.model, &s.component),
            },
            "rule": s.step.rule,
            "decision": s.step.decision,
            "text": render::step(&s.step),
        })
    })
}

fn to_json(before: Side, after: Side, d: &MatrixDiff, firsts: &[Option<StepDifference>]) -> Value {
    let file = |side: Side| {
        json!({
            "file": side.path,
            "scenario": side.checked.model.name,
            "complete": side.complete(),
            "sources_total": side.sources_total(),
        })
    };
    let changes: Vec<Value> = d
        .changes
        .iter()
        .enumerate()
        .map(|(i, c)| {
            json!({
                "change": c.change,
                "source": c.source,
                "destination": c.destination,
                "protocol": c.protocol,
                "port": c.port,
                "before": outcome_json(c.before),
                "after": outcome_json(c.after),
                "first_difference": firsts.get(i).and_then(Option::as_ref).map(|f| json!({
                    "hop": f.hop,
                    "step": f.step,
                    "before": step_json(before, f.before.as_ref()),
                    "after": step_json(after, f.after.as_ref()),
                })),
            })
        })
        .collect();
    json!({
        "before": file(before),
        "after": file(after),
        "summary": d.summary(),
        "changes": changes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::{DEFAULT, edited_default, run_words};

    /// The default scenario with the route the worker → warehouse trace suggests.
    fn with_route(name: &str) -> String {
        edited_default(name, |v| {
            let vpc = v["vpcs"].as_array_mut().unwrap().iter_mut().find(|v| v["id"] == "analytics").unwrap();
            let table = vpc["route_tables"].as_array_mut().unwrap().iter_mut().find(|t| t["id"] == "rtb-0a1b");
            let routes = table.unwrap()["routes"].as_array_mut().unwrap();
            routes.push(json!({ "destination": "10.0.0.0/16", "target": "pcx-111aaa111" }));
        })
    }

    #[test]
    fn a_scenario_against_itself_has_no_changes_and_exits_zero() {
        let o = run_words(&["diff", DEFAULT, DEFAULT]);
        assert_eq!(o.code, OK, "{}", o.err);
        assert!(o.out.contains("\nNo pair changed.\n"), "{}", o.out);
        assert!(o.out.ends_with("Summary: 0 opened, 0 closed, 0 changed, 0 added, 0 removed\n"), "{}", o.out);
        assert!(o.err.is_empty());
    }

    #[test]
    fn an_added_route_opens_pairs_with_their_first_difference() {
        let after = with_route("diff-route.json");
        let o = run_words(&["diff", DEFAULT, &after]);
        let _ = std::fs::remove_file(&after);
        assert_eq!(o.code, FAILED, "{}", o.err);
        let out = &o.out;
        let block = out.split("\n\n").find(|b| b.starts_with("opened   api/worker \u{2192} host:warehouse")).unwrap();
        assert!(block.contains("    before  blocked by PEER-ROUTE\n    after   connected\n"), "{block}");
        assert!(block.contains("    first difference: hop 3, step 1\n"), "{block}");
        assert!(
            block.contains(
                "      before  route table \u{2014} rtb-0a1b (private)\n              \u{2717} [PEER-ROUTE] rtb-0a1b (private) has no route"
            ),
            "{block}"
        );
        assert!(
            block.contains(
                "      after   route table \u{2014} rtb-0a1b (private)\n              \u{2713} [PEER-ROUTE] "
            ),
            "{block}"
        );
        assert!(out.contains("\nSummary: "), "{out}");
        assert!(!out.contains("No pair changed."));
    }

    #[test]
    fn json_lists_the_changes_and_the_summary() {
        let after = with_route("diff-route-json.json");
        let o = run_words(&["diff", DEFAULT, &after, "--json"]);
        let _ = std::fs::remove_file(&after);
        assert_eq!(o.code, FAILED, "{}", o.err);
        let v: Value = serde_json::from_str(&o.out).unwrap();
        assert_eq!(v["before"]["file"], DEFAULT);
        assert_eq!(v["after"]["scenario"], "Acme: a Cedar space, a peered VPC and an office VPN");
        let changes = v["changes"].as_array().unwrap();
        assert!(!changes.is_empty());
        assert_eq!(v["summary"]["opened"], changes.iter().filter(|c| c["change"] == "opened").count());
        let c = changes.iter().find(|c| c["source"] == "api/worker" && c["destination"] == "host:warehouse").unwrap();
        assert_eq!(c["change"], "opened");
        assert_eq!(c["protocol"], "tcp");
        assert_eq!(c["port"], 5432);
        assert_eq!(c["before"], json!({ "verdict": "blocked", "blocked_by": "PEER-ROUTE" }));
        assert_eq!(c["after"], json!({ "verdict": "connected", "blocked_by": null }));
        let f = &c["first_difference"];
        assert_eq!((f["hop"].as_u64(), f["step"].as_u64()), (Some(2), Some(0)));
        assert_eq!(f["before"]["rule"], "PEER-ROUTE");
        assert_eq!(f["before"]["decision"], "block");
        assert_eq!(f["after"]["decision"], "pass");
        assert_eq!(f["before"]["component"]["kind"], "route_table");
        assert_eq!(f["before"]["component"]["id"], "rtb-0a1b");
        assert_eq!(f["before"]["component"]["name"], "rtb-0a1b (private)");
        assert!(f["before"]["text"].as_str().is_some_and(|t| t.contains("rtb-0a1b")));
    }

    #[test]
    fn removed_and_added_objects_are_listed() {
        let after = edited_default("diff-objects.json", |v| {
            let clients = v["internet_clients"].as_array_mut().unwrap();
            let mut newcomer = clients[0].clone();
            newcomer["id"] = json!("newcomer");
            clients.remove(0);
            clients.push(newcomer);
        });
        let o = run_words(&["diff", DEFAULT, &after]);
        let _ = std::fs::remove_file(&after);
        assert_eq!(o.code, FAILED, "{}", o.err);
        assert!(o.out.contains("\nadded    client:newcomer \u{2192} "), "{}", o.out);
        assert!(o.out.contains("\nremoved  client:anyone \u{2192} "), "{}", o.out);
        assert!(o.out.contains("    before  no answer: not in this scenario, or not modelled\n"), "{}", o.out);
        let first_removed = o.out.find("\nremoved").unwrap();
        assert!(o.out.rfind("\nadded").unwrap() < first_removed, "added before removed: {}", o.out);
    }

    #[test]
    fn usage_mistakes_and_unreadable_files_exit_two() {
        for words in [&["diff"][..], &["diff", DEFAULT], &["diff", DEFAULT, DEFAULT, DEFAULT]] {
            let o = run_words(words);
            assert_eq!(o.code, BAD_USAGE, "{words:?}");
            assert!(o.err.contains("give two scenario files, BEFORE and AFTER"), "{}", o.err);
            assert!(o.out.is_empty());
        }
        let o = run_words(&["diff", "-", "-"]);
        assert_eq!(o.code, BAD_USAGE);
        assert!(o.err.contains("only one of BEFORE and AFTER"), "{}", o.err);
        let o = run_words(&["diff", DEFAULT, DEFAULT, "--csv"]);
        assert!(o.err.contains("valid options: --json, --help"), "{}", o.err);
        let o = run_words(&["diff", DEFAULT, "/nonexistent.json"]);
        assert_eq!(o.code, BAD_USAGE);
        assert_eq!(o.err, "spacetrace diff: cannot read \u{201c}/nonexistent.json\u{201d}: no such file");
        assert!(o.out.is_empty());
    }

    /// The default scenario with its matrix, whole or with only its first `keep` sources (as
    /// `Matrix::new` leaves a matrix that `MAX_CELLS` cut).
    fn default_side(keep: Option<usize>) -> (Checked, Matrix) {
        let checked = spacetrace_engine::check_text(&crate::tests::default_text());
        let mut m = Matrix::new(&checked.model);
        if let Some(keep) = keep {
            m.sources.truncate(keep);
            m.cells.truncate(keep * m.services.len());
        }
        (checked, m)
    }

    #[test]
    fn a_cut_side_is_named_in_a_note() {
        let (whole_c, whole_m) = default_side(None);
        let (cut_c, cut_m) = default_side(Some(5));
        let whole = Side { path: "whole.json", checked: &whole_c, matrix: &whole_m };
        let cut = Side { path: "cut.json", checked: &cut_c, matrix: &cut_m };
        let before_note = "The before matrix is cut to the first 5 of 8 sources (a matrix holds at most 8,388,608 pairs): pairs of the other sources are not compared, or are listed as added where the after matrix has them.\n";
        let after_note = "The after matrix is cut to the first 5 of 8 sources (a matrix holds at most 8,388,608 pairs): pairs of the other sources are not compared, or are listed as removed where the before matrix has them.\n";

        let o = report(cut, whole, false);
        assert_eq!(o.code, FAILED);
        assert!(o.out.contains(&format!("\nAfter:  \u{201c}whole.json\u{201d} (Acme: a Cedar space, a peered VPC and an office VPN)\n{before_note}\n")), "{}", o.out);
        assert!(!o.out.contains(after_note));
        assert!(o.out.contains("\nadded    "), "{}", o.out);

        let o = report(whole, cut, false);
        assert!(o.out.contains(after_note), "{}", o.out);
        assert!(!o.out.contains(before_note));
        assert!(o.out.contains("\nremoved  "), "{}", o.out);

        let o = report(cut, cut, false);
        assert_eq!(o.code, OK);
        assert!(o.out.contains(&format!("{before_note}{after_note}\nNo pair changed.\n")), "{}", o.out);

        let o = report(whole, whole, false);
        assert!(!o.out.contains("is cut"), "{}", o.out);
    }

    #[test]
    fn json_says_which_side_is_complete() {
        let (whole_c, whole_m) = default_side(None);
        let (cut_c, cut_m) = default_side(Some(5));
        let whole = Side { path: "whole.json", checked: &whole_c, matrix: &whole_m };
        let cut = Side { path: "cut.json", checked: &cut_c, matrix: &cut_m };
        let v: Value = serde_json::from_str(&report(whole, cut, true).out).unwrap();
        assert_eq!(v["before"]["complete"], true);
        assert_eq!(v["after"]["complete"], false);
        assert_eq!(v["before"]["sources_total"], 8);
        assert_eq!(v["after"]["sources_total"], 8);
        assert_eq!(v["after"]["file"], "cut.json");
    }
}
