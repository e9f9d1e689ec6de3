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

    const LIMITS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/limits.json");

    /// A scenario file edited by `edit`, written to a temporary file; returns its path.
    fn edited(path: &str, name: &str, edit: impl FnOnce(&mut serde_json::Value)) -> String {
        let mut v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        edit(&mut v);
        crate::tests::temp_file(name, serde_json::to_string_pretty(&v).unwrap().as_bytes())
    }

    #[test]
    fn one_bad_question_or_object_is_named_and_the_rest_is_graded() {
        let path = edited_default("tolerant.json", |v| {
            question(v, "q-warehouse")["port"] = json!("abc");
            v["vpcs"][0]["route_tables"][0]["routes"].as_array_mut().unwrap().push(json!({ "destination": 5 }));
            v["external_services"][0]["ports"] = json!(7);
        });
        let o = run_words(&["check", &path]);
        assert_eq!(o.code, FAILED, "{}", o.out);
        let out = &o.out;
        assert!(out.contains("Diagnostics: 4 errors, 0 warnings"), "{out}");
        assert!(out.contains("      unasked   to: There is no external service with the id \u{201c}partner-api\u{201d}. The document has no external services.\n"), "{out}");
        assert!(
            out.contains("  error    question \u{201c}q-warehouse\u{201d}, port: This cannot be read (invalid type: string \"abc\", expected a whole number from 0 to 65535); the question is left out.\n"),
            "{out}"
        );
        assert!(out.contains("  error    route table \u{201c}rtb-0a1b\u{201d}, routes[1].destination: This cannot be read (invalid type: integer `5`, expected a string); that entry is left out.\n"), "{out}");
        assert!(out.contains("  error    external service \u{201c}partner-api\u{201d}, ports: This cannot be read (invalid type: integer `7`, expected a list); the external service is left out.\n"), "{out}");
        // The other six questions are read and graded; only the one about the partner API differs.
        assert!(out.contains("Questions: 6\n"), "{out}");
        assert!(out.contains("\u{2714} q-office-api"), "{out}");
        assert!(out.contains("\u{2716} q-partner"), "{out}");
        assert!(out.contains("\u{2716} FAIL: 4 errors; 5 of 6 expectations held (differ: q-partner)"), "{out}");
    }

    #[test]
    fn protocols_in_any_case_and_a_missing_port() {
        let path = edited_default("protocols.json", |v| {
            question(v, "q-warehouse")["protocol"] = json!("TCP");
            question(v, "q-office-api")["protocol"] = json!("Tcp");
        });
        let o = run_words(&["check", &path]);
        assert_eq!(o.code, OK, "{}", o.out);
        let path = edited_default("no-port.json", |v| {
            question(v, "q-db").as_object_mut().unwrap().remove("port");
        });
        let o = run_words(&["check", &path]);
        assert_eq!(o.code, FAILED, "{}", o.out);
        assert!(o.out.contains("      unasked   port: No port was given: give a port from 1 to 65535.\n"), "{}", o.out);
        assert!(!o.out.contains("Port 0"), "{}", o.out);
    }

    #[test]
    fn a_reference_to_nothing_lists_the_valid_ids() {
        let path = edited_default("dangling.json", |v| {
            v["vpns"][0]["remote_network"] = json!("nope");
        });
        let o = run_words(&["check", &path]);
        assert_eq!(o.code, FAILED, "{}", o.out);
        assert!(
            o.out.contains("remote_network: There is no remote network with the id \u{201c}nope\u{201d}. Valid: hq."),
            "{}",
            o.out
        );
    }

    #[test]
    fn expected_refused_configuration_passes_with_honest_words() {
        let o = run_words(&["check", LIMITS]);
        assert_eq!(o.code, OK, "{}", o.out);
        assert!(o.out.contains("  expected peering \u{201c}pcx-hub06\u{201d}: 6 VPCs are peered"), "{}", o.out);
        assert!(o.out.contains("Configuration expectations: 6\n"), "{}", o.out);
        assert!(o.out.contains("  \u{2714} #4  PEER-LIMIT on \u{201c}pcx-hub06\u{201d}: shown\n"), "{}", o.out);
        assert!(
            o.out.contains("\u{2714} PASS: 6 expected configuration errors (TIP-LIMIT, TIP-FIR, IR-CEDAR-ONLY, PEER-RFC1918, PEER-NO-OVERLAP, PEER-LIMIT, FIR-UNAVAILABLE), 0 unexpected; 15 of 15 expectations held"),
            "{}",
            o.out
        );
        assert!(!o.out.contains("PASS: 6 errors"), "{}", o.out);

        // An error no expectation covers fails, naming its rule.
        let path = edited(LIMITS, "limits-unexpected.json", |v| {
            v["expect_diagnostics"].as_array_mut().unwrap().remove(3);
        });
        let o = run_words(&["check", &path]);
        assert_eq!(o.code, FAILED, "{}", o.out);
        assert!(o.out.contains("  error    peering \u{201c}pcx-hub06\u{201d}: 6 VPCs"), "{}", o.out);
        assert!(o.out.contains(", 1 unexpected (PEER-LIMIT not expected); "), "{}", o.out);
    }

    #[test]
    fn a_configuration_expectation_not_shown_fails() {
        let path = edited(LIMITS, "limits-missing.json", |v| {
            v["expect_diagnostics"]
                .as_array_mut()
                .unwrap()
                .push(json!({ "rule": "PEER-LIMIT", "object": "pcx-hub01" }));
        });
        let o = run_words(&["check", &path]);
        assert_eq!(o.code, FAILED, "{}", o.out);
        assert!(
            o.out.contains(
                "  \u{2716} #7  PEER-LIMIT on \u{201c}pcx-hub01\u{201d}\n      expected  a diagnostic citing PEER-LIMIT on \u{201c}pcx-hub01\u{201d}\n      shown     PEER-LIMIT only on \u{201c}pcx-hub06\u{201d}\n"
            ),
            "{}",
            o.out
        );
        assert!(o.out.contains("(differ: expected diagnostic #7)"), "{}", o.out);
    }

    #[test]
    fn json_has_the_diagnostics_and_every_question() {
        let o = run_words(&["check", DEFAULT, "--json"]);
        assert_eq!(o.code, OK, "{}", o.out);
        let v: serde_json::Value = serde_json::from_str(&o.out).unwrap();
        assert_eq!(v["passed"], true);
        assert_eq!(v["summary"], "\u{2714} PASS: 0 errors; 7 of 7 expectations held");
        let questions = v["questions"].as_array().unwrap();
        assert_eq!(questions.len(), 7);
        let q = questions.iter().find(|q| q["id"] == "q-warehouse").unwrap();
        assert_eq!(q["from"], "api/worker");
        assert_eq!(q["to"], "host:warehouse");
        assert_eq!(q["ends"]["from"]["dyno"]["app"], "api");
        assert_eq!((q["protocol"].as_str(), q["port"].as_u64()), (Some("tcp"), Some(5432)));
        assert_eq!(q["expected"]["verdict"], "blocked");
        assert_eq!(q["expected"]["rules"][0], "PEER-ROUTE");
        assert_eq!((q["verdict"].as_str(), q["blocked_by"].as_str()), (Some("blocked"), Some("PEER-ROUTE")));
        assert_eq!((q["held"].as_bool(), q["standing"].as_str()), (Some(true), Some("held")));
        assert!(q["cited"].as_array().unwrap().iter().any(|r| r == "PEER-ROUTE"));

        // A failing lab: diagnostics with their typed location, and why each question differs.
        let path = edited(LIMITS, "limits-json.json", |v| {
            v["expect_diagnostics"].as_array_mut().unwrap().remove(3);
            v["questions"][0]["to"] = json!({ "host": "nope" });
        });
        let o = run_words(&["check", &path, "--json"]);
        assert_eq!(o.code, FAILED, "{}", o.out);
        let v: serde_json::Value = serde_json::from_str(&o.out).unwrap();
        assert_eq!(v["passed"], false);
        let limit =
            v["diagnostics"].as_array().unwrap().iter().find(|d| d["kind"]["code"] == "too_many_peerings").unwrap();
        assert_eq!(limit["location"]["kind"], "peering");
        assert_eq!(limit["location"]["object"], "pcx-hub06");
        assert_eq!(limit["rules"][0], "PEER-LIMIT");
        assert_eq!(limit["expected"], false);
        assert!(limit["message"].as_str().unwrap().starts_with("6 VPCs are peered"));
        let dangling =
            v["diagnostics"].as_array().unwrap().iter().find(|d| d["kind"]["code"] == "dangling_reference").unwrap();
        assert_eq!(dangling["location"]["kind"], "question");
        assert_eq!(dangling["kind"]["expected"], "host");
        assert_eq!(dangling["kind"]["valid"][0], "analytics-db");
        assert_eq!(dangling["expected"], false);
        let q = &v["questions"][0];
        assert_eq!((q["held"].as_bool(), q["standing"].as_str()), (Some(false), Some("differs")));
        assert!(q["verdict"].is_null());
        assert_eq!(q["differences"][0]["kind"], "unanswerable");
        assert_eq!(q["differences"][1]["kind"], "error");
        assert_eq!(v["configuration"].as_array().unwrap().len(), 5);
        assert_eq!(v["configuration"][0]["held"], true);
        assert_eq!(v["counts"]["unexpected_errors"], 2);
    }

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
        let o = run_words(&["check", DEFAULT, "--csv"]);
        assert_eq!(o.code, BAD_USAGE);
        assert!(o.err.contains("valid options: --explain, --json, --help"), "{}", o.err);
        let o = run_words(&["check", DEFAULT, "--json", "--explain"]);
        assert_eq!(o.code, BAD_USAGE);
        assert!(o.err.contains("--json and --explain exclude each other"), "{}", o.err);
        let o = run_words(&["check", "/nonexistent.json"]);
        assert_eq!(o.code, BAD_USAGE);
        assert_eq!(o.err, "spacetrace check: cannot read \u{201c}/nonexistent.json\u{201d}: no such file");
        assert!(o.out.is_empty());
        let o = run_words(&["check", "--help"]);
        assert_eq!(o.code, OK);
        assert!(o.out.starts_with("Usage: spacetrace check"), "{}", o.out);
    }
}
