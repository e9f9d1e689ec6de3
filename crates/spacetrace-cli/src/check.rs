//! `spacetrace check FILE [--explain] [--json]`: diagnostics, then every saved question and
//! configuration expectation graded (the engine's `lab`), in the engine's words (`render`).

use std::fmt::Write as _;

use serde_json::{Value, json};
use spacetrace_engine::lab::{self, Graded, GradedConfiguration, Mismatch, Report};
use spacetrace_engine::refs::{doc_dst_ref, doc_src_ref, protocol_ref};
use spacetrace_engine::{Checked, Diagnostic, Severity, render};

use crate::args::Spec;
use crate::help;
use crate::scenario;
use crate::text::{quoted, width};
use crate::{BAD_USAGE, FAILED, OK, Output};

const SPEC: Spec = Spec { command: "spacetrace check", values: &[], flags: &["--explain", "--json"] };

pub fn run(args: &[String]) -> Output {
    let parsed = match SPEC.parse(args) {
        Ok(p) => p,
        Err(e) => return Output::usage(e, help::CHECK),
    };
    if parsed.help {
        return Output::ok(help::CHECK);
    }
    let [path] = parsed.positionals.as_slice() else {
        return Output::usage(format!("{}: give exactly one scenario FILE", SPEC.command), help::CHECK);
    };
    if parsed.flag("--json") && parsed.flag("--explain") {
        return Output::usage(format!("{}: --json and --explain exclude each other", SPEC.command), help::CHECK);
    }
    let checked = match scenario::load(SPEC.command, path) {
        Ok(c) => c,
        Err(e) => return Output::err(BAD_USAGE, e),
    };
    let graded = lab::report(&checked);
    let out = if parsed.flag("--json") {
        match serde_json::to_string_pretty(&json_report(path, &checked, &graded)) {
            Ok(json) => json,
            Err(e) => return Output::err(BAD_USAGE, format!("{}: {e}", SPEC.command)),
        }
    } else {
        report(path, &checked, &graded, parsed.flag("--explain"))
    };
    Output { code: if graded.passed() { OK } else { FAILED }, out, err: String::new() }
}

/// The whole report as text.
fn report(path: &str, checked: &Checked, graded: &Report, explain: bool) -> String {
    let mut out = String::new();
    let model = &checked.model;
    let name = if model.name.is_empty() { String::new() } else { format!(" \u{2014} {}", model.name) };
    let _ = writeln!(out, "Checking {}{name}", quoted(path));

    let errors = graded.diagnostics.iter().filter(|d| d.is_error()).count();
    let _ = writeln!(
        out,
        "\nDiagnostics: {}, {}",
        count(errors, "error", "errors"),
        count(graded.warnings(), "warning", "warnings")
    );
    for (d, expected) in graded.diagnostics.iter().zip(&graded.expected) {
        let label = match (d.severity, expected) {
            (Severity::Error, true) => "expected",
            (Severity::Error, false) => "error   ",
            (Severity::Warning, _) => "warning ",
        };
        let _ = writeln!(out, "  {label} {}{}", render::diagnostic_with_location(d), rule_tags(d));
    }

    let _ = writeln!(out, "\nQuestions: {}", graded.questions.len());
    let id_width = graded.questions.iter().map(|g| width(&g.id)).max().unwrap_or(0);
    for g in &graded.questions {
        let _ = writeln!(out, "  {}", indent(&render::graded_question(model, g).text(id_width)));
        if explain && !g.passed() {
            for line in
                g.trace.iter().flat_map(|t| render::trace(model, t).lines().map(str::to_owned).collect::<Vec<_>>())
            {
                let _ = writeln!(out, "        {line}");
            }
        }
    }
    if !graded.configuration.is_empty() {
        let _ = writeln!(out, "\nConfiguration expectations: {}", graded.configuration.len());
        let id_width = graded.configuration.iter().map(|c| width(&c.id)).max().unwrap_or(0);
        for c in &graded.configuration {
            let _ = writeln!(out, "  {}", indent(&render::graded_configuration(c).text(id_width)));
        }
    }
    let _ = writeln!(out, "\n{}", render::grade_summary(graded));
    out
}

/// A grade line's continuation lines, indented under its first.
fn indent(text: &str) -> String {
    text.replace('\n', "\n  ")
}

fn rule_tags(d: &Diagnostic) -> String {
    if d.rules.is_empty() {
        String::new()
    } else {
        format!(" [{}]", d.rules.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(", "))
    }
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The report as JSON (documented in docs/cli.md).
fn json_report(path: &str, checked: &Checked, r: &Report) -> Value {
    let diagnostics: Vec<Value> = r
        .diagnostics
        .iter()
        .zip(&r.expected)
        .map(|(d, expected)| {
            let mut v = serde_json::to_value(d).unwrap_or(Value::Null);
            if let Value::Object(m) = &mut v {
                m.insert("message".into(), json!(render::diagnostic(d)));
                m.insert("text".into(), json!(render::diagnostic_with_location(d)));
                m.insert("expected".into(), json!(expected));
            }
            v
        })
        .collect();
    json!({
        "file": path,
        "scenario": checked.model.name,
        "passed": r.passed(),
        "summary": render::grade_summary(r),
        "counts": {
            "errors": r.diagnostics.iter().filter(|d| d.is_error()).count(),
            "expected_errors": r.expected_errors().count(),
            "unexpected_errors": r.unexpected_errors().count(),
            "warnings": r.warnings(),
            "expectations": r.expectations(),
            "held": r.held(),
            "without_expectation": r.without_expectation(),
        },
        "diagnostics": diagnostics,
        "questions": r.questions.iter().map(|g| json_question(checked, g)).collect::<Vec<_>>(),
        "configuration": r.configuration.iter().map(json_configuration).collect::<Vec<_>>(),
    })
}

fn json_question(checked: &Checked, g: &Graded) -> Value {
    let query = g.trace.as_ref().map(|t| t.query);
    let line = render::graded_question(&checked.model, g);
    let differences: Vec<Value> = g
        .mismatches
        .iter()
        .map(|m| match m {
            Mismatch::Unanswerable => json!({ "kind": "unanswerable" }),
            Mismatch::Verdict { expected, got } => json!({ "kind": "verdict", "expected": expected, "got": got }),
            Mismatch::MissingRules(rules) => json!({ "kind": "missing_rules", "rules": rules }),
        })
        .chain(
            g.errors
                .iter()
                .map(|d| json!({ "kind": "error", "code": d.kind, "text": render::diagnostic_with_location(d) })),
        )
        .collect();
    json!({
        "id": g.id,
        "name": g.name,
        "from": doc_src_ref(&g.from),
        "to": doc_dst_ref(&g.to),
        "ends": { "from": g.from, "to": g.to },
        "protocol": query.map(|q| protocol_ref(q.protocol())),
        "port": query.map(|q| q.port()),
        "expected": g.expect.as_ref().map(|e| json!({ "verdict": e.verdict, "rules": e.rules })),
        "verdict": g.trace.as_ref().map(|t| t.verdict),
        "blocked_by": g.trace.as_ref().and_then(|t| t.blocking_step()).map(|s| s.rule),
        "cited": g.trace.as_ref().map(|t| t.rules().into_iter().collect::<Vec<_>>()),
        "standing": g.standing(),
        "held": g.passed(),
        "differences": differences,
        "why": line.details.iter().map(|(label, text)| json!({ "label": label, "text": text })).collect::<Vec<_>>(),
    })
}

fn json_configuration(c: &GradedConfiguration) -> Value {
    let line = render::graded_configuration(c);
    json!({
        "id": c.id,
        "rule": c.rule,
        "object": c.object,
        "held": c.held(),
        "diagnostics": c.shown,
        "elsewhere": c.elsewhere,
        "text": line.title,
        "why": line.details.iter().map(|(label, text)| json!({ "label": label, "text": text })).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    use crate::tests::{DEFAULT, edited_default, question, run_words};

    #[test]
    fn the_default_scenario_passes() {
        let o = run_words(&["check", DEFAULT]);
        assert_eq!(o.code, OK, "{}{}", o.out, o.err);
        assert!(o.out.contains("Diagnostics: 0 errors, 0 warnings"), "{}", o.out);
        assert!(o.out.contains("Questions: 7"), "{}", o.out);
        assert!(
            o.out.contains("\u{2714} q-warehouse    Worker to the warehouse database: blocked; PEER-ROUTE"),
            "{}",
            o.out
        );
        assert!(o.out.contains("\u{2714} PASS: 0 errors; 7 of 7 expectations held"), "{}", o.out);
        assert!(o.err.is_empty());
    }

    #[test]
    fn a_wrong_expectation_says_exactly_what_differed() {
        let path = edited_default("wrong-expectation.json", |v| {
            question(v, "q-office-api")["expect"] =
                json!({ "verdict": "blocked", "rules": ["TIP-FILTER", "PEER-NACL"] });
            question(v, "q-db")["expect"]["rules"] = json!(["PS-DATA-ADDONS", "VPN-IPSEC"]);
        });
        let o = run_words(&["check", &path]);
        assert_eq!(o.code, FAILED, "{}", o.out);
        let out = &o.out;
        assert!(out.contains("\u{2716} q-office-api   Office Wi-Fi to the API\n"), "{out}");
        assert!(
            out.contains("question  From Office Wi-Fi (198.51.100.0/24) to acme-api.herokuapp.com, TCP 443"),
            "{out}"
        );
        assert!(out.contains("verdict   expected blocked, got connected\n"), "{out}");
        assert!(out.contains("rules     expected TIP-FILTER, PEER-NACL; missing PEER-NACL"), "{out}");
        assert!(out.contains("rules     expected PS-DATA-ADDONS, VPN-IPSEC; missing VPN-IPSEC"), "{out}");
        assert!(out.contains("verdict   connected, as expected"), "{out}");
        assert!(out.contains("\u{2716} FAIL: 0 errors; 5 of 7 expectations held (differ: q-office-api, q-db)"));
    }

    #[test]
    fn error_diagnostics_fail_with_their_location() {
        let path = edited_default("errors.json", |v| {
            v["spaces"][0]["cidr"] = json!("10.0.0.0/33");
            question(v, "q-warehouse")["to"] = json!({ "host": "no-such-host" });
        });
        let o = run_words(&["check", &path]);
        assert_eq!(o.code, FAILED, "{}", o.out);
        assert!(o.out.contains("Diagnostics: 2 errors, 0 warnings"), "{}", o.out);
        assert!(o.out.contains("  error    space \u{201c}acme-prod\u{201d}, cidr: "), "{}", o.out);
        assert!(
            o.out.contains("unasked   to: There is no VPC host with the id \u{201c}no-such-host\u{201d}."),
            "{}",
            o.out
        );
        assert!(o.out.contains("FAIL: 2 errors"), "{}", o.out);
    }

    #[test]
    fn questions_without_expectations_and_bad_rule_ids() {
        let path = edited_default("no-expectation.json", |v| {
            question(v, "q-db").as_object_mut().unwrap().remove("expect");
            question(v, "q-ldap")["expect"]["rules"] = json!(["VPN-IPSEC", "NOT-A-RULE"]);
        });
        let o = run_words(&["check", &path]);
        assert_eq!(o.code, FAILED, "{}", o.out);
        assert!(o.out.contains("\u{00b7} q-db           API to its Postgres: connected; no expectation"), "{}", o.out);
        assert!(o.out.contains("\u{2716} q-ldap"), "{}", o.out);
        assert!(o.out.contains("      verdict   connected, as expected\n"), "{}", o.out);
        assert!(
            o.out.contains("      error     expect.rules: \u{201c}NOT-A-RULE\u{201d} is not a rule ID."),
            "{}",
            o.out
        );
        assert!(o.out.contains("FAIL: 1 error; 5 of 6 expectations held (differ: q-ldap); 1 without an expectation"));
    }

    #[test]
    fn explain_prints_the_trace_of_what_differed() {
        let path = edited_default("explain.json", |v| {
            question(v, "q-warehouse")["expect"] = json!({ "verdict": "connected" });
        });
        let o = run_words(&["check", &path, "--explain"]);
        assert_eq!(o.code, FAILED);
        assert!(o.out.contains("verdict   expected connected, got blocked (blocked by PEER-ROUTE)"), "{}", o.out);
        assert!(o.out.contains("        \u{2716} BLOCKED\n"), "{}", o.out);
        assert!(o.out.contains("        Blocked by PEER-ROUTE"), "{}", o.out);
    }

    #[test]
    fn usage_and_file_problems_exit_two() {
        let o = run_words(&["check"]);
        assert_eq!(o.code, BAD_USAGE);
        assert!(o.err.contains("give exactly one scenario FILE"), "{}", o.err);
        assert_eq!(run_words(&["check", DEFAULT, DEFAULT]).code, BAD_USAGE);
        let o = run_words(&["check", DEFAULT, "--json"]);
        assert_eq!(o.code, BAD_USAGE);
        assert!(o.err.contains("valid options: --explain, --help"), "{}", o.err);
        let o = run_words(&["check", "/nonexistent.json"]);
        assert_eq!(o.code, BAD_USAGE);
        assert_eq!(o.err, "spacetrace check: cannot read \u{201c}/nonexistent.json\u{201d}: no such file");
        assert!(o.out.is_empty());
        let o = run_words(&["check", "--help"]);
        assert_eq!(o.code, OK);
        assert!(o.out.starts_with("Usage: spacetrace check"), "{}", o.out);
    }
}
