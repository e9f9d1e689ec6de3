//! A small option parser: `--name value`, `--name=value`, boolean `--flag`, positionals, `--` to
//! end options, and `-h`/`--help`. Every mistake becomes one message that names the valid options.

use std::collections::{BTreeMap, BTreeSet};

use crate::text::quoted;

/// What a command accepts.
pub struct Spec {
    /// The command, as in `spacetrace ask`.
    pub command: &'static str,
    /// Options that take a value.
    pub values: &'static [&'static str],
    /// Options that take none.
    pub flags: &'static [&'static str],
}

/// A parsed command line.
#[derive(Debug, Default)]
pub struct Parsed {
    pub positionals: Vec<String>,
    pub values: BTreeMap<&'static str, String>,
    pub flags: BTreeSet<&'static str>,
    pub help: bool,
}

impl Parsed {
    pub fn value(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }

    pub fn flag(&self, name: &str) -> bool {
        self.flags.contains(name)
    }
}

impl Spec {
    fn valid_options(&self) -> String {
        let mut all: Vec<String> = self.values.iter().map(|v| format!("{v} VALUE")).collect();
        all.extend(self.flags.iter().map(|f| (*f).to_owned()));
        all.push("--help".to_owned());
        all.join(", ")
    }

    /// Parse `args` (the words after the command name).
    pub fn parse(&self, args: &[String]) -> Result<Parsed, String> {
        let mut parsed = Parsed::default();
        let mut i = 0;
        let mut options_done = false;
        while i < args.len() {
            let arg = &args[i];
            i += 1;
            if options_done || arg == "-" || !arg.starts_with('-') {
                parsed.positionals.push(arg.clone());
                continue;
            }
            if arg == "--" {
                options_done = true;
                continue;
            }
            if arg == "-h" || arg == "--help" {
                parsed.help = true;
                continue;
            }
            let (name, inline) = match arg.split_once('=') {
                Some((n, v)) => (n, Some(v.to_owned())),
                None => (arg.as_str(), None),
            };
            if let Some(&known) = self.values.iter().find(|v| **v == name) {
                let value = match inline {
                    Some(v) => v,
                    None => match args.get(i) {
                        Some(v) if !v.starts_with("--") => {
                            i += 1;
                            v.clone()
                        }
                        _ => return Err(format!("{}: {known} needs a value", self.command)),
                    },
                };
                if parsed.values.insert(known, value).is_some() {
                    return Err(format!("{}: {known} is given twice; give it once", self.command));
                }
            } else if let Some(&known) = self.flags.iter().find(|f| **f == name) {
                if inline.is_some() {
                    return Err(format!("{}: {known} takes no value", self.command));
                }
                parsed.flags.insert(known);
            } else {
                return Err(format!(
                    "{}: unknown option {}; valid options: {}",
                    self.command,
                    quoted(name),
                    self.valid_options()
                ));
            }
        }
        Ok(parsed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: Spec = Spec { command: "spacetrace test", values: &["--from", "--port"], flags: &["--json"] };

    fn words(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn values_flags_and_positionals() {
        let p = SPEC.parse(&words(&["file.json", "--from", "api/web", "--port=443", "--json"])).unwrap();
        assert_eq!(p.positionals, ["file.json"]);
        assert_eq!(p.value("--from"), Some("api/web"));
        assert_eq!(p.value("--port"), Some("443"));
        assert!(p.flag("--json"));
        assert!(!p.help);
    }

    #[test]
    fn dash_is_a_positional_and_double_dash_ends_options() {
        let p = SPEC.parse(&words(&["-", "--", "--json"])).unwrap();
        assert_eq!(p.positionals, ["-", "--json"]);
        assert!(!p.flag("--json"));
    }

    #[test]
    fn mistakes_name_the_valid_options() {
        let e = SPEC.parse(&words(&["--frm", "x"])).unwrap_err();
        assert!(e.contains("unknown option \u{201c}--frm\u{201d}"), "{e}");
        assert!(e.contains("--from VALUE, --port VALUE, --json, --help"), "{e}");
        assert!(SPEC.parse(&words(&["--from"])).unwrap_err().contains("--from needs a value"));
        assert!(SPEC.parse(&words(&["--from", "--json"])).unwrap_err().contains("--from needs a value"));
        assert!(SPEC.parse(&words(&["--port", "1", "--port", "2"])).unwrap_err().contains("given twice"));
        assert!(SPEC.parse(&words(&["--json=yes"])).unwrap_err().contains("takes no value"));
        assert!(SPEC.parse(&words(&["-h"])).unwrap().help);
    }
}
