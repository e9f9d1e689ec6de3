//! Every suggested configuration change that the AWS or Heroku CLI can make comes with the
//! commands that make it; the changes no CLI makes (a third party's allowlist or firewall, the
//! tunnel at the customer's gateway, code that must listen on a port) and "no configuration
//! connects" have none.

#[path = "support/examples.rs"]
mod examples;

use spacetrace_engine::commands::{self, Tool};
use spacetrace_engine::matrix::Matrix;
use spacetrace_engine::trace::Fix;
use spacetrace_engine::{check, evaluate, parse_document};

/// Whether a CLI carries out this kind of change.
fn has_command(fix: &Fix) -> bool {
    !matches!(
        fix,
        Fix::AddToAllowlist { .. }
            | Fix::AddFirewallRule { .. }
            | Fix::BringTunnelUp { .. }
            | Fix::ListenOnPort { .. }
            | Fix::UsePort { .. }
            | Fix::UseHostname { .. }
            | Fix::UseDynoAddress { .. }
            | Fix::NoConfiguration { .. }
    )
}

#[test]
fn every_fix_a_cli_can_make_has_its_commands_in_every_example() {
    let files = examples::example_files();
    let (mut problems, mut with, mut tools) = (Vec::new(), 0, Vec::new());
    for path in files {
        let name = path.file_name().and_then(|s| s.to_str()).unwrap_or_default().to_owned();
        let d = parse_document(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let checked = check(&d);
        let m = Matrix::new(&checked.model);
        for (r, c) in (0..m.sources.len()).flat_map(|r| (0..m.services.len()).map(move |c| (r, c))) {
            let Some(q) = m.query(r, c) else { continue };
            for s in evaluate(&checked.model, &q).suggestions {
                let cmds = commands::for_fix(&checked.model, &s.fix);
                if has_command(&s.fix) == cmds.is_empty() {
                    problems.push(format!("{name}, cell {r},{c}: {:?} has {} commands", s.fix, cmds.len()));
                }
                for c in &cmds {
                    let line = c.line();
                    if line.contains("''") || line.contains("  ") {
                        problems.push(format!("{name}: an empty argument in {line}"));
                    }
                    if !tools.contains(&c.tool) {
                        tools.push(c.tool);
                    }
                }
                with += usize::from(!cmds.is_empty());
            }
        }
    }
    assert!(with > 50, "only {with} fixes with commands");
    assert!(tools.contains(&Tool::Aws) && tools.contains(&Tool::Heroku), "{tools:?}");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
