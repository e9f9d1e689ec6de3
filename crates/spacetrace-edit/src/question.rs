//! The question panel's logic: a question's ends as the values of the source and destination
//! lists (`dyno|api|web`), the lists themselves grouped as the panel shows them (every dyno of a
//! formation, hosts, add-ons, services), the port a destination usually answers on, and whether
//! a remembered question still fits a document. The app draws the lists and keeps the draft in
//! a signal.

use serde::{Deserialize, Serialize};
use spacetrace_engine::doc::{self, Document, Protocol};

/// One group of a list: its label, and each option's key and label.
pub type OptionGroup = (String, Vec<(String, String)>);

/// The question being asked in the question panel (session state, by object IDs). Remembered per
/// scenario in this browser (the app's `persist::remember_draft`), never saved in the document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Draft {
    pub from: Option<doc::From>,
    pub to: Option<doc::To>,
    pub protocol: Protocol,
    pub port: u16,
}

impl Default for Draft {
    fn default() -> Self {
        Self { from: None, to: None, protocol: Protocol::Tcp, port: 443 }
    }
}

impl Draft {
    /// The draft question for a freshly opened document: its first saved question, if any.
    pub fn first_of(doc: &Document) -> Self {
        doc.questions
            .first()
            .map(|q| Draft {
                from: Some(q.from.clone()),
                to: Some(q.to.clone()),
                protocol: q.protocol,
                port: q.port.unwrap_or(0),
            })
            .unwrap_or_default()
    }
}

/// A source as a select value.
pub fn from_key(f: &doc::From) -> String {
    match f {
        doc::From::Dyno { app, process } => format!("dyno|{app}|{process}"),
        doc::From::Host(h) => format!("host|{h}"),
        doc::From::RemoteHost(h) => format!("remote|{h}"),
        doc::From::Client(c) => format!("client|{c}"),
    }
}

pub fn parse_from(key: &str) -> Option<doc::From> {
    let parts: Vec<&str> = key.splitn(3, '|').collect();
    Some(match parts.as_slice() {
        ["dyno", app, process] => doc::From::Dyno { app: (*app).into(), process: (*process).into() },
        ["host", h] => doc::From::Host((*h).into()),
        ["remote", h] => doc::From::RemoteHost((*h).into()),
        ["client", c] => doc::From::Client((*c).into()),
        _ => return None,
    })
}

/// A destination as a select value.
pub fn to_key(t: &doc::To) -> String {
    match t {
        doc::To::Hostname(a) => format!("hostname|{a}"),
        doc::To::Discovery { app, process } => format!("discovery|{app}|{process}"),
        doc::To::DynoAddress { app, process } => format!("dyno|{app}|{process}"),
        doc::To::Localhost => "localhost".into(),
        doc::To::Addon(a) => format!("addon|{a}"),
        doc::To::Host(h) => format!("host|{h}"),
        doc::To::RemoteHost(h) => format!("remote|{h}"),
        doc::To::External(s) => format!("external|{s}"),
    }
}

pub fn parse_to(key: &str) -> Option<doc::To> {
    let parts: Vec<&str> = key.splitn(3, '|').collect();
    Some(match parts.as_slice() {
        ["hostname", a] => doc::To::Hostname((*a).into()),
        ["discovery", app, process] => doc::To::Discovery { app: (*app).into(), process: (*process).into() },
        ["dyno", app, process] => doc::To::DynoAddress { app: (*app).into(), process: (*process).into() },
        ["localhost"] => doc::To::Localhost,
        ["addon", a] => doc::To::Addon((*a).into()),
        ["host", h] => doc::To::Host((*h).into()),
        ["remote", h] => doc::To::RemoteHost((*h).into()),
        ["external", s] => doc::To::External((*s).into()),
        _ => return None,
    })
}

/// The dynos of a process a question can name: `web` (dyno 1, as questions have always named
/// it), then `web.2`, `web.3`, … up to what the formation runs (at most the 64 the engine gives
/// addresses), each with its number.
fn dynos_of(p: &doc::ProcessType) -> impl Iterator<Item = (String, u32)> + '_ {
    (1..=p.dynos.clamp(1, 64)).map(move |n| (if n == 1 { p.name.clone() } else { format!("{}.{n}", p.name) }, n))
}

/// The process type a question's process names (`web.2` is `web`'s second dyno).
fn process_named<'a>(a: &'a doc::App, process: &str) -> Option<&'a doc::ProcessType> {
    a.process_types.iter().find(|p| p.name == process).or_else(|| {
        let (base, n) = process.rsplit_once('.')?;
        n.parse::<u32>().ok()?;
        a.process_types.iter().find(|p| p.name == base)
    })
}

/// The process a question from an app's card starts in: `web`, or its first process type.
pub fn first_process(d: &Document, app: &str) -> Option<String> {
    d.apps().find(|a| a.id == app).and_then(|a| {
        a.process_types.iter().find(|p| p.name == "web").or(a.process_types.first()).map(|p| p.name.clone())
    })
}

/// Add a group to a list's groups, unless it has no entries.
fn add(groups: &mut Vec<OptionGroup>, label: &str, entries: Vec<(String, String)>) {
    if !entries.is_empty() {
        groups.push((label.to_owned(), entries));
    }
}

/// Option groups for the source list: (group label, [(key, label)]).
pub fn source_options(d: &Document) -> Vec<OptionGroup> {
    let mut groups = Vec::new();
    let dynos = |apps: &[doc::App]| -> Vec<(String, String)> {
        apps.iter()
            .flat_map(|a| {
                a.process_types.iter().flat_map(move |p| {
                    dynos_of(p).map(move |(process, n)| {
                        (
                            from_key(&doc::From::Dyno { app: a.id.clone(), process }),
                            format!("{}.{n} of {}", p.name, a.name),
                        )
                    })
                })
            })
            .collect()
    };
    if !d.common_runtime_apps.is_empty() {
        groups.push(("Common Runtime dynos".to_owned(), dynos(&d.common_runtime_apps)));
    }
    for s in &d.spaces {
        if !s.apps.is_empty() {
            groups.push((format!("Dynos in {}", s.name), dynos(&s.apps)));
        }
    }
    let hosts: Vec<_> = d
        .vpcs
        .iter()
        .flat_map(|v| {
            v.hosts.iter().map(move |h| (from_key(&doc::From::Host(h.id.clone())), format!("{} ({})", h.name, v.name)))
        })
        .collect();
    add(&mut groups, "VPC hosts", hosts);
    let remote: Vec<_> = d
        .remote_networks
        .iter()
        .flat_map(|r| {
            r.hosts
                .iter()
                .map(move |h| (from_key(&doc::From::RemoteHost(h.id.clone())), format!("{} ({})", h.name, r.name)))
        })
        .collect();
    add(&mut groups, "Remote hosts", remote);
    let clients: Vec<_> = d
        .internet_clients
        .iter()
        .map(|c| (from_key(&doc::From::Client(c.id.clone())), format!("{} ({})", c.name, c.cidr)))
        .collect();
    add(&mut groups, "Internet clients", clients);
    groups
}

/// Option groups for the destination list.
pub fn destination_options(d: &Document) -> Vec<OptionGroup> {
    let mut groups = Vec::new();
    let apps: Vec<&doc::App> = d.apps().collect();
    if !apps.is_empty() {
        groups.push((
            "App hostnames".to_owned(),
            apps.iter()
                .map(|a| (to_key(&doc::To::Hostname(a.id.clone())), format!("{}.herokuapp.com", a.name)))
                .collect(),
        ));
        let mut direct = Vec::new();
        for s in &d.spaces {
            for a in &s.apps {
                for p in &a.process_types {
                    direct.push((
                        to_key(&doc::To::Discovery { app: a.id.clone(), process: p.name.clone() }),
                        format!("{}.{}.app.localspace", p.name, a.name),
                    ));
                }
            }
        }
        for a in &apps {
            for p in &a.process_types {
                for (process, n) in dynos_of(p) {
                    direct.push((
                        to_key(&doc::To::DynoAddress { app: a.id.clone(), process }),
                        format!("{}.{n} of {} (dyno address)", p.name, a.name),
                    ));
                }
            }
        }
        direct.push((to_key(&doc::To::Localhost), "localhost (same dyno)".to_owned()));
        groups.push(("Dynos directly".to_owned(), direct));
    }
    let addons: Vec<_> = d
        .spaces
        .iter()
        .flat_map(|s| {
            s.addons.iter().map(move |a| (to_key(&doc::To::Addon(a.id.clone())), format!("{} ({})", a.name, s.name)))
        })
        .collect();
    add(&mut groups, "Data add-ons", addons);
    let hosts: Vec<_> = d
        .vpcs
        .iter()
        .flat_map(|v| {
            v.hosts
                .iter()
                .map(move |h| (to_key(&doc::To::Host(h.id.clone())), format!("{} {} ({})", h.name, h.address, v.name)))
        })
        .collect();
    add(&mut groups, "VPC hosts", hosts);
    let remote: Vec<_> = d
        .remote_networks
        .iter()
        .flat_map(|r| {
            r.hosts.iter().map(move |h| {
                (to_key(&doc::To::RemoteHost(h.id.clone())), format!("{} {} ({})", h.name, h.address, r.name))
            })
        })
        .collect();
    add(&mut groups, "Remote hosts", remote);
    let services: Vec<_> = d
        .external_services
        .iter()
        .map(|s| (to_key(&doc::To::External(s.id.clone())), format!("{} ({})", s.name, s.hostname)))
        .collect();
    add(&mut groups, "External services", services);
    groups
}

/// Whether a remembered question still fits `doc`: something is chosen, the port is one, and every
/// chosen end is still offered in the lists.
pub fn draft_fits(doc: &Document, draft: &Draft) -> bool {
    fn listed(groups: &[OptionGroup], key: &str) -> bool {
        groups.iter().any(|(_, items)| items.iter().any(|(k, _)| k == key))
    }
    if draft.port == 0 || (draft.from.is_none() && draft.to.is_none()) {
        return false;
    }
    draft.from.as_ref().is_none_or(|f| listed(&source_options(doc), &from_key(f)))
        && draft.to.as_ref().is_none_or(|t| listed(&destination_options(doc), &to_key(t)))
}

/// The port a destination usually answers on.
pub fn natural_port(d: &Document, to: &doc::To) -> Option<u16> {
    let first = |ports: &[doc::Listen]| ports.first().map(|l| l.port);
    match to {
        doc::To::Hostname(_) => Some(443),
        doc::To::Addon(a) => d
            .spaces
            .iter()
            .flat_map(|s| s.addons.iter())
            .find(|x| x.id == *a)
            .map(|x| x.port.unwrap_or(x.kind.default_port())),
        doc::To::Host(h) => {
            d.vpcs.iter().flat_map(|v| v.hosts.iter()).find(|x| x.id == *h).and_then(|x| first(&x.ports))
        }
        doc::To::RemoteHost(h) => {
            d.remote_networks.iter().flat_map(|r| r.hosts.iter()).find(|x| x.id == *h).and_then(|x| first(&x.ports))
        }
        doc::To::External(s) => d.external_services.iter().find(|x| x.id == *s).and_then(|x| first(&x.ports)),
        doc::To::Discovery { app, process } | doc::To::DynoAddress { app, process } => {
            let a = d.apps().find(|a| a.id == *app)?;
            let p = process_named(a, process)?;
            if p.name == "web" { Some(a.web_port.unwrap_or(5000)) } else { first(&p.ports) }
        }
        doc::To::Localhost => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn default_document() -> Document {
        crate::examples::default_document()
    }

    fn labels(groups: Vec<OptionGroup>) -> Vec<String> {
        groups.into_iter().flat_map(|g| g.1).map(|o| o.1).collect()
    }

    #[test]
    fn every_dyno_of_a_formation_can_be_asked_about() {
        let d = default_document();
        let api = d.spaces.iter().flat_map(|s| s.apps.iter()).find(|a| a.id == "api").unwrap();
        let web = api.process_types.iter().find(|p| p.name == "web").unwrap();
        assert_eq!(web.dynos, 2, "the default example runs web ×2");
        let sources = labels(source_options(&d));
        assert!(sources.contains(&"web.1 of acme-api".to_owned()));
        assert_eq!(first_process(&d, "api").as_deref(), Some("web"), "a card asks from web");
        assert!(sources.contains(&"web.2 of acme-api".to_owned()));
        assert!(!sources.contains(&"web.3 of acme-api".to_owned()), "no dyno beyond the formation");
        let web2 = from_key(&doc::From::Dyno { app: "api".into(), process: "web.2".into() });
        assert_eq!(parse_from(&web2), Some(doc::From::Dyno { app: "api".into(), process: "web.2".into() }));
        let targets = labels(destination_options(&d));
        assert!(targets.contains(&"web.2 of acme-api (dyno address)".to_owned()));
        // The usual port of a numbered dyno is its process's.
        let to = doc::To::DynoAddress { app: "api".into(), process: "web.2".into() };
        assert_eq!(
            natural_port(&d, &to),
            natural_port(&d, &doc::To::DynoAddress { app: "api".into(), process: "web".into() })
        );
    }

    #[test]
    fn every_end_survives_its_key_and_other_keys_name_nothing() {
        let froms = [
            doc::From::Dyno { app: "api".into(), process: "web.2".into() },
            doc::From::Host("db".into()),
            doc::From::RemoteHost("office".into()),
            doc::From::Client("anyone".into()),
        ];
        for f in froms {
            assert_eq!(parse_from(&from_key(&f)), Some(f));
        }
        let tos = [
            doc::To::Hostname("api".into()),
            doc::To::Discovery { app: "api".into(), process: "worker".into() },
            doc::To::DynoAddress { app: "api".into(), process: "web".into() },
            doc::To::Localhost,
            doc::To::Addon("pg".into()),
            doc::To::Host("db".into()),
            doc::To::RemoteHost("office".into()),
            doc::To::External("stripe".into()),
        ];
        for t in tos {
            assert_eq!(parse_to(&to_key(&t)), Some(t));
        }
        // A process is the rest of a dyno's key.
        assert_eq!(parse_from("dyno|api|web|x"), Some(doc::From::Dyno { app: "api".into(), process: "web|x".into() }));
        for bad in ["", "dyno|api", "vm|x", "localhost"] {
            assert_eq!(parse_from(bad), None, "{bad}");
        }
        for bad in ["", "discovery|api", "localhost|x", "dyno"] {
            assert_eq!(parse_to(bad), None, "{bad}");
        }
    }

    #[test]
    fn lists_are_grouped_as_the_panel_shows_them() {
        let d = default_document();
        let heads = |groups: Vec<OptionGroup>| groups.into_iter().map(|g| g.0).collect::<Vec<_>>();
        let sources = heads(source_options(&d));
        assert!(sources.iter().any(|h| h.starts_with("Dynos in ")), "{sources:?}");
        assert!(sources.contains(&"VPC hosts".to_owned()), "{sources:?}");
        let destinations = heads(destination_options(&d));
        assert_eq!(destinations.first().map(String::as_str), Some("App hostnames"), "{destinations:?}");
        assert!(destinations.contains(&"Dynos directly".to_owned()), "{destinations:?}");
        // An empty network offers no group at all.
        assert!(source_options(&Document::default()).is_empty());
        assert!(destination_options(&Document::default()).is_empty());
    }

    #[test]
    fn a_destination_suggests_the_port_it_answers_on() {
        let d = default_document();
        assert_eq!(natural_port(&d, &doc::To::Hostname("api".into())), Some(443));
        assert_eq!(natural_port(&d, &doc::To::Localhost), None);
        assert_eq!(natural_port(&d, &doc::To::Host("nowhere".into())), None);
        let host = d.vpcs.iter().flat_map(|v| v.hosts.iter()).find(|h| !h.ports.is_empty()).unwrap();
        assert_eq!(natural_port(&d, &doc::To::Host(host.id.clone())), Some(host.ports[0].port));
        let addon = d.spaces.iter().flat_map(|s| s.addons.iter()).next().unwrap();
        assert_eq!(
            natural_port(&d, &doc::To::Addon(addon.id.clone())),
            Some(addon.port.unwrap_or(addon.kind.default_port()))
        );
    }

    #[test]
    fn a_remembered_question_fits_only_while_its_ends_are_listed() {
        let d = default_document();
        let first = Draft::first_of(&d);
        assert!(first.from.is_some() && first.to.is_some());
        assert!(draft_fits(&d, &first));
        assert!(!draft_fits(&d, &Draft { port: 0, ..first.clone() }), "no port");
        assert!(!draft_fits(&d, &Draft::default()), "nothing chosen");
        assert!(draft_fits(&d, &Draft { to: None, ..first.clone() }), "one end is enough");
        let gone = Draft { from: Some(doc::From::Host("gone".into())), ..first.clone() };
        assert!(!draft_fits(&d, &gone));
        let gone = Draft { to: Some(doc::To::Addon("gone".into())), ..first };
        assert!(!draft_fits(&d, &gone));
        assert_eq!(Draft::first_of(&Document::default()), Draft::default());
    }

    #[test]
    fn a_question_from_an_app_starts_in_web_or_its_first_process() {
        let mut d = default_document();
        let i = d.spaces[0].apps.iter().position(|a| a.id == "api").unwrap();
        d.spaces[0].apps[i].process_types = vec![
            doc::ProcessType { name: "worker".into(), dynos: 1, ..Default::default() },
            doc::ProcessType { name: "clock".into(), dynos: 1, ..Default::default() },
        ];
        assert_eq!(first_process(&d, "api").as_deref(), Some("worker"));
        d.spaces[0].apps[i].process_types.push(doc::ProcessType { name: "web".into(), ..Default::default() });
        assert_eq!(first_process(&d, "api").as_deref(), Some("web"));
        d.spaces[0].apps[i].process_types.clear();
        assert_eq!(first_process(&d, "api"), None);
        assert_eq!(first_process(&d, "nowhere"), None);
    }
}
