//! `spacetrace ask FILE --from REF --to REF [--protocol tcp|udp] --port N [--json]`: one question.

use spacetrace_engine::check::query_error;
use spacetrace_engine::doc::Protocol;
use spacetrace_engine::plan::{Plan, plan};
use spacetrace_engine::refs::{doc_dst_ref, doc_src_ref, protocol_ref};
use spacetrace_engine::{Checked, Query, Verdict, commands, evaluate, render};

use crate::args::Spec;
use crate::text::quoted;
use crate::{BAD_USAGE, BLOCKED, OK, Output, help, refs, scenario};

const SPEC: Spec =
    Spec { command: "spacetrace ask", values: &["--from", "--to", "--protocol", "--port"], flags: &["--json"] };

pub fn run(args: &[String]) -> Output {
    let parsed = match SPEC.parse(args) {
        Ok(p) => p,
        Err(e) => return Output::usage(e, help::ASK),
    };
    if parsed.help {
        return Output::ok(help::ASK);
    }
    let usage = |e: String| Output::usage(format!("{}: {e}", SPEC.command), help::ASK);
    let [path] = parsed.positionals.as_slice() else {
        return usage("give exactly one scenario FILE".to_owned());
    };
    let missing: Vec<&str> = ["--from", "--to", "--port"].into_iter().filter(|o| parsed.value(o).is_none()).collect();
    if !missing.is_empty() {
        return usage(format!("missing {}", missing.join(", ")));
    }
    let protocol = match parsed.value("--protocol").map(str::to_ascii_lowercase).as_deref() {
        None | Some("tcp") => Protocol::Tcp,
        Some("udp") => Protocol::Udp,
        Some(other) => return usage(format!("--protocol {} is not a protocol; valid: tcp, udp", quoted(other))),
    };
    let port_text = parsed.value("--port").unwrap_or_default();
    let Ok(port) = port_text.trim().parse::<u16>() else {
        return usage(format!("--port {} is not a port; give a number from 1 to 65535", quoted(port_text)));
    };
    let (document, checked) = match scenario::load_document(SPEC.command, path) {
        Ok(c) => c,
        Err(e) => return Output::err(BAD_USAGE, e),
    };
    let model = &checked.model;
    let from = parsed.value("--from").unwrap_or_default();
    let to = parsed.value("--to").unwrap_or_default();
    let ((src, src_dyno), (dst, dst_dyno)) =
        match (refs::resolve_src_dyno(model, from), refs::resolve_dst_dyno(model, to)) {
            (Ok(s), Ok(d)) => (s, d),
            (s, d) => {
                let errors: Vec<String> =
                    [s.err(), d.err()].into_iter().flatten().map(|e| format!("{}: {e}", SPEC.command)).collect();
                return with_scenario_errors(&checked, Output::err(BAD_USAGE, errors.join("\n")));
            }
        };
    let query = match Query::new(src, dst, protocol, port).and_then(|q| q.with_dynos(model, src_dyno, dst_dyno)) {
        Ok(q) => q,
        Err(e) => {
            let why = render::diagnostic(&query_error(model, e));
            return with_scenario_errors(&checked, Output::err(BAD_USAGE, format!("{}: {why}", SPEC.command)));
        }
    };
    let trace = evaluate(model, &query);
    // Under a blocked answer: every later blocker and one plan (docs/cli.md, "Every blocker, one plan").
    let plan = (trace.verdict == Verdict::Blocked).then(|| plan(&document, &query));
    let out = if parsed.flag("--json") {
        match json_trace(model, &trace, plan.as_ref()) {
            Ok(json) => json,
            Err(e) => return Output::err(BAD_USAGE, format!("{}: {e}", SPEC.command)),
        }
    } else {
        let mut text = render::trace(model, &trace);
        if let Some(p) = &plan {
            text.push('\n');
            text.push_str(&render::plan(model, p));
        }
        text
    };
    let code = match trace.verdict {
        Verdict::Connected => OK,
        Verdict::Blocked => BLOCKED,
    };
    with_scenario_errors(&checked, Output { code, out, err: String::new() })
}

/// The trace as JSON, its question's ends named by reference and by ID (the engine's `Trace`
/// holds them as indices into the model's lists, which mean nothing outside this run).
fn json_trace(
    model: &spacetrace_engine::model::Model,
    trace: &spacetrace_engine::Trace,
    plan: Option<&Plan>,
) -> serde_json::Result<String> {
    let mut v = serde_json::to_value(trace)?;
    let (from, to) = trace.query.to_doc(model);
    v["query"] = serde_json::json!({
        "from": doc_src_ref(&from),
        "to": doc_dst_ref(&to),
        "ends": { "from": from, "to": to },
        "protocol": protocol_ref(trace.query.protocol()),
        "port": trace.query.port(),
    });
    // Beside the suggestions, the commands that carry each out: `commands[i]` for `suggestions[i]`.
    let commands: Vec<Vec<serde_json::Value>> = trace
        .suggestions
        .iter()
        .map(|s| {
            commands::for_fix(model, &s.fix)
                .iter()
                .map(|c| serde_json::json!({ "tool": c.tool, "line": c.line(), "args": c.args }))
                .collect()
        })
        .collect();
    v["commands"] = serde_json::json!(commands);
    // A blocked answer's plan (docs/cli.md, "Every blocker, one plan").
    if let Some(plan) = plan {
        v["plan"] = serde_json::to_value(plan)?;
    }
    serde_json::to_string_pretty(&v)
}

/// Error diagnostics of the scenario go to standard error: objects they name are not in the model,
/// which can explain an answer or an unknown name.
pub fn with_scenario_errors(checked: &Checked, mut output: Output) -> Output {
    let errors: Vec<String> =
        checked.errors().map(|d| format!("scenario error: {}", render::diagnostic_with_location(d))).collect();
    if !errors.is_empty() {
        let mut err = errors.join("\n");
        if !output.err.is_empty() {
            err.push('\n');
            err.push_str(&output.err);
        }
        output.err = err;
    }
    output
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::{DEFAULT, edited_default, run_words};

    #[test]
    fn a_question_names_any_dyno() {
        let o = run_words(&["ask", DEFAULT, "--from", "api/web.2", "--to", "dyno:api/web.1", "--port", "5000"]);
        assert_eq!(o.code, OK, "{}", o.err);
        assert!(o.out.starts_with("From web.2 of acme-api to web.1 of acme-api at "), "{}", o.out);
        assert!(o.out.contains("[PS-PRIVATE-NETWORK]"), "{}", o.out);
        let o = run_words(&["ask", DEFAULT, "--from", "api/web.2", "--to", "dyno:api/web.2", "--port", "9"]);
        assert_eq!(o.code, OK, "{}", o.err);
        assert!(o.out.contains("[DYNO-LOCAL]"), "{}", o.out);
        let o = run_words(&["ask", DEFAULT, "--from", "api/web.3", "--to", "dyno:api/web", "--port", "5000"]);
        assert_eq!(o.code, BAD_USAGE);
        assert!(o.err.contains("no dyno web.3; valid: web.1 and web.2."), "{}", o.err);
    }

    #[test]
    fn a_connected_question_exits_zero_with_the_rendered_trace() {
        let o = run_words(&["ask", DEFAULT, "--from", "api/web", "--to", "addon:acme-db", "--port", "5432"]);
        assert_eq!(o.code, OK, "{}", o.err);
        assert!(o.out.starts_with("From web.1 of acme-api to acme-db (Postgres), TCP 5432\n\u{2714} CONNECTED\n"));
        assert!(o.err.is_empty());
    }

    #[test]
    fn a_blocked_question_exits_three() {
        let o = run_words(&["ask", DEFAULT, "--from=api/worker", "--to=host:warehouse", "--port=5432"]);
        assert_eq!(o.code, BLOCKED, "{}", o.err);
        assert!(o.out.contains("\u{2716} BLOCKED"), "{}", o.out);
        assert!(o.out.contains("Blocked by PEER-ROUTE"), "{}", o.out);
        assert!(o.out.contains("\n      $ aws ec2 create-route --route-table-id rtb-0a1b "), "{}", o.out);
        let o = run_words(&["ask", DEFAULT, "--from", "client:anyone", "--to", "hostname:acme-api", "--port", "443"]);
        assert_eq!(o.code, BLOCKED);
        assert!(o.out.contains("Blocked by TIP-FILTER"), "{}", o.out);
    }

    #[test]
    fn json_is_the_trace_and_parses_back() {
        let o =
            run_words(&["ask", DEFAULT, "--from", "api/worker", "--to", "host:warehouse", "--port", "5432", "--json"]);
        assert_eq!(o.code, BLOCKED);
        let v: serde_json::Value = serde_json::from_str(&o.out).unwrap();
        assert_eq!(v["verdict"], "blocked");
        assert_eq!(v["query"]["port"], 5432);
        assert_eq!(v["query"]["protocol"], "tcp");
        // The ends are named by reference and by ID, never by index into the model's lists.
        assert_eq!(v["query"]["from"], "api/worker");
        assert_eq!(v["query"]["to"], "host:warehouse");
        assert_eq!(v["query"]["ends"]["from"]["dyno"]["app"], "api");
        assert_eq!(v["query"]["ends"]["from"]["dyno"]["process"], "worker");
        assert_eq!(v["query"]["ends"]["to"]["host"], "warehouse");
        assert!(v["query"].get("src").is_none());
        let at = &v["blocked_at"];
        let step = &v["hops"][at["hop"].as_u64().unwrap() as usize]["steps"][at["step"].as_u64().unwrap() as usize];
        assert_eq!(step["rule"], "PEER-ROUTE");
        assert_eq!(step["decision"], "block");
        assert!(v["suggestions"].as_array().is_some_and(|s| !s.is_empty()));
        // The command for the route, beside its suggestion.
        assert_eq!(
            v["commands"][0][0]["line"],
            "aws ec2 create-route --route-table-id rtb-0a1b --destination-cidr-block 10.0.0.0/16 --vpc-peering-connection-id pcx-111aaa111"
        );
        assert_eq!(v["commands"][0][0]["tool"], "aws");

        let o = run_words(&["ask", DEFAULT, "--json", "--from", "api/web", "--to", "remote:ldap", "--port", "636"]);
        assert_eq!(o.code, OK);
        let v: serde_json::Value = serde_json::from_str(&o.out).unwrap();
        assert_eq!(v["verdict"], "connected");
        assert_eq!((v["query"]["from"].as_str(), v["query"]["to"].as_str()), (Some("api/web"), Some("remote:ldap")));

        let o =
            run_words(&["ask", DEFAULT, "--json", "--from", "api/web.2", "--to", "dyno:api/web.1", "--port", "5000"]);
        let v: serde_json::Value = serde_json::from_str(&o.out).unwrap();
        assert_eq!((v["query"]["from"].as_str(), v["query"]["to"].as_str()), (Some("api/web.2"), Some("dyno:api/web")));
    }

    #[test]
    fn a_blocked_answer_lists_every_later_blocker_and_one_plan() {
        const LIMITS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/limits.json");
        let o = run_words(&["ask", LIMITS, "--from", "sync/worker", "--to", "host:analytics-db", "--port", "5432"]);
        assert_eq!(o.code, BLOCKED, "{}", o.err);
        let (trace, plan) = o.out.split_once("Also blocking once that is fixed:\n").expect("the later blockers");
        assert!(trace.contains("Blocked by PEER-ACCEPTED"), "{}", o.out);
        assert!(plan.starts_with("  \u{2022} [PEER-ROUTE] hop 3, route table rtb-analytics: "), "{plan}");
        assert!(plan.contains("\n  \u{2022} [PEER-SECURITY-GROUP] hop 4, security group sg-analytics: "), "{plan}");
        assert!(plan.contains("Plan:\n  1. [PEER-ACCEPTED] Peer analytics-vpc with retail-edge"), "{plan}");
        assert!(plan.contains("\n  3. [PEER-SECURITY-GROUP] Add an inbound rule to sg-analytics"), "{plan}");
        assert!(plan.ends_with("Applied together, in this order, these 3 changes connect the question.\n"), "{plan}");

        let o = run_words(&[
            "ask",
            LIMITS,
            "--json",
            "--from",
            "sync/worker",
            "--to",
            "host:analytics-db",
            "--port",
            "5432",
        ]);
        let v: serde_json::Value = serde_json::from_str(&o.out).unwrap();
        assert_eq!(v["verdict"], "blocked");
        assert_eq!(v["plan"]["outcome"]["kind"], "connects");
        let rules: Vec<&str> =
            v["plan"]["blockers"].as_array().unwrap().iter().map(|b| b["step"]["rule"].as_str().unwrap()).collect();
        assert_eq!(rules, ["PEER-ACCEPTED", "PEER-ROUTE", "PEER-SECURITY-GROUP"]);
        assert_eq!(v["plan"]["fixes"].as_array().map(Vec::len), Some(3));

        // A step no configuration passes, after a change that gets somewhere.
        let o = run_words(&["ask", LIMITS, "--from", "orders/web", "--to", "remote:pos-server", "--port", "443"]);
        assert!(o.out.contains("Plan, as far as it goes:\n  1. [VPN-IPSEC] Create a VPN connection"), "{}", o.out);
        assert!(o.out.ends_with("[VPN-NO-OVERLAP] No configuration passes hop 2, VPN tunnel VPN to Store network. Renumber Store network so that it does not overlap the space.\n"), "{}", o.out);

        // A connected answer has no plan.
        let o = run_words(&["ask", DEFAULT, "--json", "--from", "api/web", "--to", "remote:ldap", "--port", "636"]);
        let v: serde_json::Value = serde_json::from_str(&o.out).unwrap();
        assert!(v.get("plan").is_none(), "{}", o.out);
    }

    #[test]
    fn udp_and_localhost() {
        let o =
            run_words(&["ask", DEFAULT, "--from", "api/web", "--to", "localhost", "--protocol", "TCP", "--port", "9"]);
        assert_eq!(o.code, OK, "{}{}", o.out, o.err);
        assert!(o.out.contains("to localhost, TCP 9"), "{}", o.out);
        let o = run_words(&[
            "ask",
            DEFAULT,
            "--from",
            "api/web",
            "--to",
            "remote:ldap",
            "--protocol",
            "udp",
            "--port",
            "636",
        ]);
        assert!(o.out.contains("UDP 636"), "{}", o.out);
    }

    #[test]
    fn unknown_names_exit_two_and_list_the_valid_ones() {
        let o = run_words(&["ask", DEFAULT, "--from", "host:nope", "--to", "external:nope", "--port", "443"]);
        assert_eq!(o.code, BAD_USAGE);
        assert!(o.out.is_empty());
        assert!(o.err.contains("--from \u{201c}host:nope\u{201d}: no VPC host has the ID or name \u{201c}nope\u{201d}; valid VPC hosts: warehouse (warehouse-db)"), "{}", o.err);
        assert!(o.err.contains("valid external services: partner-api (Partner API)"), "{}", o.err);
        let o = run_words(&["ask", DEFAULT, "--from", "mars", "--to", "localhost", "--port", "1"]);
        assert_eq!(o.code, BAD_USAGE);
        assert!(o.err.contains("valid apps: api (acme-api), billing (acme-billing), marketing (acme-marketing)"));
        let o = run_words(&["ask", DEFAULT, "--from", "api/web", "--to", "planet:mars", "--port", "1"]);
        assert!(o.err.contains("Valid --to references in this scenario: hostname:api, hostname:billing"), "{}", o.err);
    }

    #[test]
    fn nonsense_arguments_exit_two_with_a_reason() {
        let ask = |extra: &[&str]| {
            let mut words = vec!["ask", DEFAULT];
            words.extend_from_slice(extra);
            run_words(&words)
        };
        let o = ask(&["--from", "api/web", "--to", "hostname:api"]);
        assert_eq!(o.code, BAD_USAGE);
        assert!(o.err.starts_with("spacetrace ask: missing --port\n"), "{}", o.err);
        assert!(o.err.contains("Usage: spacetrace ask FILE"), "{}", o.err);
        let o = ask(&["--from", "api/web", "--to", "hostname:api", "--port", "http"]);
        assert!(
            o.err.contains("--port \u{201c}http\u{201d} is not a port; give a number from 1 to 65535"),
            "{}",
            o.err
        );
        let o = ask(&["--from", "api/web", "--to", "hostname:api", "--port", "443", "--protocol", "icmp"]);
        assert!(o.err.contains("valid: tcp, udp"), "{}", o.err);
        let o = ask(&["--from", "api/web", "--to", "hostname:api", "--port", "0"]);
        assert_eq!(o.code, BAD_USAGE);
        assert!(o.err.contains("Port 0 cannot be used"), "{}", o.err);
        let o = ask(&["--from", "client:anyone", "--to", "host:warehouse", "--port", "5432"]);
        assert_eq!(o.code, BAD_USAGE);
        assert!(o.err.contains("outside what it models"), "{}", o.err);
        let o = ask(&["--from", "host:warehouse", "--to", "localhost", "--port", "1"]);
        assert!(o.err.contains("Only a dyno can connect to localhost"), "{}", o.err);
        let o = ask(&["--form", "api/web"]);
        assert!(o.err.contains("valid options: --from VALUE, --to VALUE, --protocol VALUE, --port VALUE, --json"));
        let o = run_words(&["ask", "--from", "api/web", "--to", "localhost", "--port", "1"]);
        assert!(o.err.contains("give exactly one scenario FILE"), "{}", o.err);
    }

    #[test]
    fn scenario_errors_are_reported_on_standard_error() {
        let path = edited_default("ask-errors.json", |v| {
            v["vpcs"][0]["hosts"][0]["address"] = serde_json::json!("not-an-address");
        });
        let o = run_words(&["ask", &path, "--from", "host:warehouse", "--to", "hostname:api", "--port", "443"]);
        assert_eq!(o.code, BAD_USAGE);
        assert!(o.err.contains("scenario error: "), "{}", o.err);
        assert!(o.err.contains("the scenario has no VPC hosts"), "{}", o.err);
    }
}
