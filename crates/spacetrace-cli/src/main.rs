//! `spacetrace`: the command-line face of Spacetrace's engine. Thin by design: it parses
//! arguments, calls the engine and prints what `spacetrace_engine::render` says.

use std::process::ExitCode;

use spacetrace_engine::{describe_cidr, render};

const USAGE: &str = "\
Usage: spacetrace <command> [arguments]

Commands:
  cidr <block>...   describe CIDR blocks (network, range, size, RFC 1918)
  help              show this message

Exit codes: 0 success, 1 some input was refused, 2 bad usage.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (code, out, err) = run(&args);
    if !out.is_empty() {
        println!("{out}");
    }
    if !err.is_empty() {
        eprintln!("{err}");
    }
    ExitCode::from(code)
}

/// Run a command line; returns the exit code, standard output and standard error.
fn run(args: &[String]) -> (u8, String, String) {
    match args.first().map(String::as_str) {
        Some("cidr") if args.len() > 1 => cidr(&args[1..]),
        Some("cidr") => (2, String::new(), format!("spacetrace cidr: name at least one CIDR block\n\n{USAGE}")),
        Some("help" | "--help" | "-h") => (0, USAGE.to_owned(), String::new()),
        Some(other) => (
            2,
            String::new(),
            format!("spacetrace: unknown command \u{201c}{other}\u{201d}; valid commands: cidr, help\n\n{USAGE}"),
        ),
        None => (2, String::new(), USAGE.to_owned()),
    }
}

fn cidr(blocks: &[String]) -> (u8, String, String) {
    let mut code = 0;
    let mut out = Vec::new();
    let mut err = Vec::new();
    for block in blocks {
        match describe_cidr(block) {
            Ok(info) => {
                for w in &info.warnings {
                    err.push(format!("warning: {}", render::diagnostic(w)));
                }
                out.push(
                    render::cidr_rows(&info).iter().map(|(k, v)| format!("{k:<9} {v}")).collect::<Vec<_>>().join("\n"),
                );
            }
            Err(d) => {
                code = 1;
                err.push(format!("error: {}", render::diagnostic(&d)));
            }
        }
    }
    (code, out.join("\n\n"), err.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn describes_a_block() {
        let (code, out, err) = run(&args(&["cidr", "10.0.0.0/16"]));
        assert_eq!(code, 0);
        assert!(out.contains("Network   10.0.0.0/16"), "{out}");
        assert!(out.contains("65,536 addresses"), "{out}");
        assert!(err.is_empty());
    }

    #[test]
    fn refused_input_exits_one_and_explains() {
        let (code, _, err) = run(&args(&["cidr", "10.0.0.0/16", "nonsense"]));
        assert_eq!(code, 1);
        assert!(err.contains("has no prefix length"), "{err}");
    }

    #[test]
    fn nonsense_arguments_list_the_valid_commands() {
        let (code, _, err) = run(&args(&["frobnicate"]));
        assert_eq!(code, 2);
        assert!(err.contains("valid commands: cidr, help"), "{err}");
        assert_eq!(run(&[]).0, 2);
    }
}
