//! `spacetrace check FILE`: diagnostics, then every saved question graded against its expectation.

use std::fmt::Write as _;

use spacetrace_engine::lab::{self, Graded, Mismatch};
use spacetrace_engine::{Checked, RuleId, Severity, render};

use crate::args::Spec;
use crate::help;
use crate::scenario;
use crate::text::{pad, quoted, width};
use crate::{BAD_USAGE, FAILED, OK, Output};

const SPEC: Spec = Spec { command: "spacetrace check", values: &[], flags: &["--explain"] };

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
    let checked = match scenario::load(SPEC.command, path) {
        Ok(c) => c,
        Err(e) => return Output::err(BAD_USAGE, e),
    };
    let (passed, out) = report(path, &checked, parsed.flag("--explain"));
    Output { code: if passed { OK } else { FAILED }, out, err: String::new() }
}

/// The whole report, and whether the file passes (no error diagnostics, every expectation held).
fn report(path: &str, checked: &Checked, explain: bool) -> (bool, String) {
    let mut out = String::new();
    let model = &checked.model;
    let name = if model.name.is_empty() { String::new() } else { format!(" \u{2014} {}", model.name) };
    let _ = writeln!(out, "Checking {}{name}", quoted(path));

    let errors = checked.errors().count();
    let warnings = checked.diagnostics.len() - errors;
    let _ = writeln!(
        out,
        "\nDiagnostics: {}, {}",
        count(errors, "error", "errors"),
        count(warnings, "warning", "warnings")
    );
    for d in &checked.diagnostics {
        let label = match d.severity {
            Severity::Error => "error  ",
            Severity::Warning => "warning",
        };
        let _ = writeln!(out, "  {label}  {}{}", render::diagnostic_with_location(d), rule_tags(&d.rules));
    }

    let graded = lab::grade(checked);
    let _ = writeln!(out, "\nQuestions: {}", graded.len());
    let id_width = graded.iter().map(|g| width(&g.id)).max().unwrap_or(0);
    let mut failed = Vec::new();
    let mut unexpected = 0;
    for g in &graded {
        if !question(&mut out, checked, g, id_width, explain) {
            failed.push(g.id.as_str());
        } else if g.expect.is_none() {
            unexpected += 1;
        }
    }

    let with_expectation = graded.len() - unexpected;
    // Configuration the platform refuses (an error citing a rule) is reported, and a lab may be
    // about exactly that; a document that is itself broken (an error citing no rule: a bad CIDR, a
    // dangling reference) fails the check.
    let broken = checked.errors().filter(|d| d.rules.is_empty()).count();
    let passed = broken == 0 && failed.is_empty();
    let _ = write!(
        out,
        "\n{} {}: {}; {} of {with_expectation} expectations held",
        if passed { "\u{2714}" } else { "\u{2716}" },
        if passed { "PASS" } else { "FAIL" },
        count(errors, "error", "errors"),
        with_expectation - failed.len(),
    );
    if !failed.is_empty() {
        let _ = write!(out, " (differ: {})", failed.join(", "));
    }
    if unexpected > 0 {
        let _ = write!(out, "; {unexpected} without an expectation");
    }
    out.push('\n');
    (passed, out)
}

/// Error diagnostics located at a question, with their field (`to: There is no …`).
fn question_errors(checked: &Checked, id: &str) -> Vec<String> {
    checked
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .filter_map(|d| {
            let l = d.location.as_ref()?;
            (l.kind == "question" && l.object == id).then(|| {
                if l.field.is_empty() {
                    render::diagnostic(d)
                } else {
                    format!("{}: {}", l.field, render::diagnostic(d))
                }
            })
        })
        .collect()
}

/// One question's lines; true when it answered as expected and has no error of its own.
fn question(out: &mut String, checked: &Checked, g: &Graded, id_width: usize, explain: bool) -> bool {
    let model = &checked.model;
    let errors = question_errors(checked, &g.id);
    let ok = g.passed() && errors.is_empty();
    let mark = match (&g.expect, ok) {
        (_, false) => "\u{2716}",
        (None, true) => "\u{00b7}",
        (Some(_), true) => "\u{2714}",
    };
    let head = format!("  {mark} {}  {}", pad(&g.id, id_width), g.name);
    let answer = g.trace.as_ref().map(|t| {
        let blocked_by = t.blocking_step().map(|s| format!(" (blocked by {})", s.rule)).unwrap_or_default();
        format!("{}{blocked_by}", render::verdict(t.verdict))
    });
    if ok {
        let summary = match (&g.expect, &answer) {
            (Some(e), _) if e.rules.is_empty() => render::verdict(e.verdict).to_owned(),
            (Some(e), _) => format!("{}; {}", render::verdict(e.verdict), rules(&e.rules)),
            (None, Some(a)) => format!("{a}; no expectation"),
            (None, None) => String::new(),
        };
        let _ = writeln!(out, "{}: {summary}", head.trim_end());
        return true;
    }
    let _ = writeln!(out, "{}", head.trim_end());
    let field = |out: &mut String, label: &str, value: &str| {
        let _ = writeln!(out, "      {label:<9} {value}");
    };
    let Some(t) = &g.trace else {
        // The question cannot be asked of this model: say why, as the diagnostics do.
        if errors.is_empty() {
            field(out, "unasked", "see the diagnostics above");
        }
        for e in &errors {
            field(out, "unasked", e);
        }
        return false;
    };
    field(out, "question", &render::question(model, &t.query));
    let answer = answer.unwrap_or_default();
    match g.mismatches.iter().find_map(|m| match m {
        Mismatch::Verdict { expected, got } => Some((*expected, *got)),
        _ => None,
    }) {
        Some((expected, _)) => field(out, "verdict", &format!("expected {}, got {answer}", render::verdict(expected))),
        None if g.expect.is_some() => field(out, "verdict", &format!("{answer}, as expected")),
        None => field(out, "verdict", &answer),
    }
    for m in &g.mismatches {
        if let (Mismatch::MissingRules(missing), Some(e)) = (m, &g.expect) {
            field(out, "rules", &format!("expected {}; missing {}", rules(&e.rules), rules(missing)));
            let cited: Vec<RuleId> = t.rules().into_iter().collect();
            field(out, "cited", &rules(&cited));
        }
    }
    for e in &errors {
        field(out, "error", e);
    }
    if explain {
        for line in render::trace(model, t).lines() {
            let _ = writeln!(out, "        {line}");
        }
    }
    false
}

fn rules(rules: &[RuleId]) -> String {
    rules.iter().map(|r| r.to_string()).collect::<Vec<_>>().join(", ")
}

fn rule_tags(rules: &[RuleId]) -> String {
    if rules.is_empty() { String::new() } else { format!(" [{}]", self::rules(rules)) }
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
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
