//! Questions about any dyno (issue 10, item 3): a question names `web.2`, not only `web.1`; two
//! dynos of one Common Runtime app are firewalled from each other (CR-ISOLATION) while a space's
//! reach each other (PS-PRIVATE-NETWORK); a dyno asking its own address talks to itself
//! (DYNO-LOCAL); and two dynos that share an address in two spaces with the same CIDR stay two.

use spacetrace_engine::check::Checked;
use spacetrace_engine::diagnostics::DiagnosticKind;
use spacetrace_engine::doc;
use spacetrace_engine::matrix::Matrix;
use spacetrace_engine::rules::RuleId;
use spacetrace_engine::trace::{Decision, SeenAs};
use spacetrace_engine::{Dst, Src, Verdict, check_text, evaluate, render};

/// A Common Runtime app with two web dynos, a Cedar space app with three web dynos and a worker,
/// a second space with the same CIDR and an app of its own, and a VPC host; questions are added.
fn scenario(questions: &str) -> Checked {
    let text = format!(
        r#"{{
  "version": 2,
  "common_runtime_apps": [
    {{"id": "shop", "name": "shop", "web_port": 8080,
      "process_types": [{{"name": "web", "dynos": 2}}, {{"name": "worker", "dynos": 1}}]}}
  ],
  "spaces": [
    {{"id": "prod", "name": "prod", "generation": "cedar", "cidr": "10.0.0.0/16",
      "apps": [{{"id": "api", "name": "api", "web_port": 5000,
                 "process_types": [{{"name": "web", "dynos": 3}}, {{"name": "worker", "dynos": 1}}]}}]}},
    {{"id": "twin", "name": "twin", "generation": "cedar", "cidr": "10.0.0.0/16",
      "apps": [{{"id": "mirror", "name": "mirror", "web_port": 5000,
                 "process_types": [{{"name": "web", "dynos": 3}}, {{"name": "worker", "dynos": 1}}]}}]}}
  ],
  "questions": [{questions}]
}}"#
    );
    check_text(&text)
}

fn question(id: &str, from: (&str, &str), to: (&str, &str), port: u16) -> String {
    format!(
        r#"{{"id": "{id}", "from": {{"dyno": {{"app": "{}", "process": "{}"}}}},
            "to": {{"dyno_address": {{"app": "{}", "process": "{}"}}}}, "protocol": "tcp", "port": {port}}}"#,
        from.0, from.1, to.0, to.1
    )
}

fn answer(c: &Checked, id: &str) -> spacetrace_engine::trace::Trace {
    let q = c.questions.iter().find(|q| q.id == id).unwrap_or_else(|| panic!("no question {id}"));
    let query = q.query.unwrap_or_else(|| panic!("{id} did not resolve: {:?}", c.diagnostics));
    evaluate(&c.model, &query)
}

#[test]
fn a_question_names_the_second_dyno() {
    let c = scenario(&question("q", ("api", "web.2"), ("api", "web"), 5000));
    assert!(c.errors().next().is_none(), "{:?}", c.diagnostics);
    let t = answer(&c, "q");
    assert_eq!((t.query.src_dyno(), t.query.dst_dyno()), (2, 1));
    let text = render::trace(&c.model, &t);
    assert!(text.starts_with("From web.2 of api to web.1 of api"), "{text}");
    assert_eq!(t.verdict, Verdict::Connected, "{text}");
    // web.2 has an address of its own, distinct from web.1's.
    let web = &c.model.app(c.model.find_app("api").unwrap()).processes[0];
    assert_ne!(web.dyno_address(1), web.dyno_address(2));
    assert_eq!(t.seen_as, Some(SeenAs::Dyno { address: web.dyno_address(2) }));
    // Saved back, the question names web.2 again.
    let (from, _) = t.query.to_doc(&c.model);
    assert_eq!(from, doc::From::Dyno { app: "api".into(), process: "web.2".into() });
}

#[test]
fn a_dyno_beyond_the_formation_is_a_diagnostic_naming_the_valid_ones() {
    let c = scenario(&question("q", ("api", "web.4"), ("api", "worker"), 5000));
    let d = c.errors().next().expect("a diagnostic");
    assert_eq!(d.kind, DiagnosticKind::NoSuchDyno { app: "api".into(), process: "web".into(), dyno: 4, dynos: 3 });
    assert_eq!(render::diagnostic(d), "api runs no dyno web.4; valid: web.1 to web.3.");
    assert!(c.questions[0].query.is_none());
    let c = scenario(&question("q", ("api", "web"), ("shop", "worker.2"), 9000));
    let d = c.errors().next().expect("a diagnostic");
    assert_eq!(render::diagnostic(d), "shop runs no dyno worker.2; the only one to name is worker.1.");
}

#[test]
fn files_without_a_dyno_number_read_as_before() {
    let c = scenario(&question("q", ("api", "web"), ("api", "worker"), 5000));
    let t = answer(&c, "q");
    assert_eq!((t.query.src_dyno(), t.query.dst_dyno()), (1, 1));
    let (from, to) = t.query.to_doc(&c.model);
    assert_eq!(from, doc::From::Dyno { app: "api".into(), process: "web".into() });
    assert_eq!(to, doc::To::DynoAddress { app: "api".into(), process: "worker".into() });
}

#[test]
fn two_dynos_of_one_common_runtime_app_are_firewalled_from_each_other() {
    let c = scenario(&question("q", ("shop", "web.1"), ("shop", "web.2"), 8080));
    let t = answer(&c, "q");
    assert_eq!(t.verdict, Verdict::Blocked);
    assert_eq!(t.blocking_step().map(|s| s.rule), Some(RuleId::CrIsolation));
}

#[test]
fn two_dynos_of_one_space_app_reach_each_other() {
    let c = scenario(&question("q", ("api", "web.1"), ("api", "web.3"), 5000));
    let t = answer(&c, "q");
    assert_eq!(t.verdict, Verdict::Connected);
    assert!(t.rules().contains(&RuleId::PsPrivateNetwork));
    assert!(!t.rules().contains(&RuleId::DynoLocal));
}

#[test]
fn a_dyno_asking_its_own_address_talks_to_itself() {
    // Today's behaviour blocked this at CR-ISOLATION, as if the dyno were another.
    for (app, process, port) in [("shop", "web", 8080), ("shop", "web.2", 1234), ("api", "worker", 7777)] {
        let c = scenario(&question("q", (app, process), (app, process), port));
        let t = answer(&c, "q");
        assert_eq!(t.verdict, Verdict::Connected, "{}", render::trace(&c.model, &t));
        let own = t.hops.iter().flat_map(|h| &h.steps).find(|s| s.rule == RuleId::DynoLocal);
        assert_eq!(own.map(|s| s.decision), Some(Decision::Pass), "{}", render::trace(&c.model, &t));
        assert!(!t.rules().contains(&RuleId::CrIsolation));
    }
}

#[test]
fn dynos_with_one_address_in_two_spaces_stay_two() {
    // Both spaces use 10.0.0.0/16, so api's web.1 and mirror's web.1 get the same address.
    let c = scenario(&question("q", ("api", "web"), ("mirror", "web"), 5000));
    let m = &c.model;
    let (api, mirror) = (m.find_app("api").unwrap(), m.find_app("mirror").unwrap());
    assert_eq!(m.app(api).processes[0].address, m.app(mirror).processes[0].address);
    let t = answer(&c, "q");
    assert_eq!(t.verdict, Verdict::Blocked);
    assert_eq!(t.blocking_step().map(|s| s.rule), Some(RuleId::PsNoSpaceToSpace));
    assert!(!t.rules().contains(&RuleId::DynoLocal));
    // In the matrix too: only a dyno and its own address talk to themselves.
    let matrix = Matrix::new(m);
    for (r, src) in matrix.sources.iter().enumerate() {
        for (col, svc) in matrix.services.iter().enumerate() {
            let (Src::Dyno { app: a, process: p }, Dst::DynoAddress { app: b, process: q }) = (*src, svc.dst) else {
                continue;
            };
            let Some(t) = matrix.trace(m, r, col) else { continue };
            assert_eq!(t.rules().contains(&RuleId::DynoLocal), a == b && p == q, "row {r} column {col}");
        }
    }
}
