//! References to a question's ends on the command line (`api/worker`, `host:warehouse`, …),
//! resolved against a model by ID or name. Unknown references give a message listing what is valid.
//!
//! Sources (`--from`): `APP/PROCESS` (or `dyno:APP/PROCESS`), `host:NAME`, `remote:NAME`, `client:NAME`.
//! Destinations (`--to`): `hostname:APP`, `discovery:APP/PROCESS`, `dyno:APP/PROCESS`, `addon:NAME`,
//! `host:NAME`, `remote:NAME`, `external:NAME`, `localhost`.
//! A dyno source or a `dyno:` destination may name one dyno of the process: `api/web.2`.
//! `APP` and `NAME` match an ID first, then a name, then either ignoring case; `APP` alone stands
//! for `APP/PROCESS` when the app has one process type. The references printed for an end are
//! built by the engine (`spacetrace_engine::refs`), so the app labels cells the same way.

use spacetrace_engine::matrix;
use spacetrace_engine::model::{AddonIx, AppIx, ClientIx, HostIx, Model, RemoteHostIx, ServiceIx};
use spacetrace_engine::query::split_dyno;
use spacetrace_engine::refs::{dst_ref, src_ref};
use spacetrace_engine::{Dst, Src};

use crate::text::{quoted, wrap_list};

/// The forms `--from` takes, for messages and help.
pub const FROM_FORMS: &str = "APP/PROCESS, dyno:APP/PROCESS, host:NAME, remote:NAME or client:NAME";
/// The forms `--to` takes, for messages and help.
pub const TO_FORMS: &str = "hostname:APP, discovery:APP/PROCESS, dyno:APP/PROCESS, addon:NAME, host:NAME, remote:NAME, \
                            external:NAME or localhost";

/// The most valid references listed in one message.
const MAX_LISTED: usize = 40;

/// One kind of object a reference can name.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    App,
    Host,
    Remote,
    Client,
    Addon,
    External,
}

impl Kind {
    /// Plural noun for messages ("VPC hosts").
    fn plural(self) -> &'static str {
        match self {
            Kind::App => "apps",
            Kind::Host => "VPC hosts",
            Kind::Remote => "remote hosts",
            Kind::Client => "internet clients",
            Kind::Addon => "data add-ons",
            Kind::External => "external services",
        }
    }

    fn singular(self) -> &'static str {
        match self {
            Kind::App => "app",
            Kind::Host => "VPC host",
            Kind::Remote => "remote host",
            Kind::Client => "internet client",
            Kind::Addon => "data add-on",
            Kind::External => "external service",
        }
    }

    /// (id, name) of every object of this kind, in model order.
    fn objects(self, m: &Model) -> Vec<(&str, &str)> {
        match self {
            Kind::App => m.apps.iter().map(|o| (o.id.as_str(), o.name.as_str())).collect(),
            Kind::Host => m.hosts.iter().map(|o| (o.id.as_str(), o.name.as_str())).collect(),
            Kind::Remote => m.remote_hosts.iter().map(|o| (o.id.as_str(), o.name.as_str())).collect(),
            Kind::Client => m.clients.iter().map(|o| (o.id.as_str(), o.name.as_str())).collect(),
            Kind::Addon => m.addons.iter().map(|o| (o.id.as_str(), o.name.as_str())).collect(),
            Kind::External => m.services.iter().map(|o| (o.id.as_str(), o.name.as_str())).collect(),
        }
    }
}

/// Which end of a question a reference is for.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Slot {
    From,
    To,
}

impl Slot {
    fn option(self) -> &'static str {
        match self {
            Slot::From => "--from",
            Slot::To => "--to",
        }
    }
}

/// Resolve a `--from` reference.
#[cfg(test)]
pub fn resolve_src(m: &Model, text: &str) -> Result<Src, String> {
    resolve_src_dyno(m, text).map(|(s, _)| s)
}

/// Resolve a `--to` reference.
#[cfg(test)]
pub fn resolve_dst(m: &Model, text: &str) -> Result<Dst, String> {
    resolve_dst_dyno(m, text).map(|(d, _)| d)
}

/// Resolve a `--from` reference with the dyno it names (`api/web.2` is 2; 1 when none is named).
pub fn resolve_src_dyno(m: &Model, text: &str) -> Result<(Src, u32), String> {
    src(m, text).map_err(|why| format!("--from {}: {why}", quoted(text)))
}

/// Resolve a `--to` reference with the dyno it names (`dyno:api/web.2` is 2; 1 when none is named).
pub fn resolve_dst_dyno(m: &Model, text: &str) -> Result<(Dst, u32), String> {
    dst(m, text).map_err(|why| format!("--to {}: {why}", quoted(text)))
}

fn src(m: &Model, text: &str) -> Result<(Src, u32), String> {
    let slot = Slot::From;
    let one = |s: Src| (s, 1);
    match split_kind(text) {
        Some(("dyno", rest)) => dyno_n(m, slot, rest).map(|(app, process, n)| (Src::Dyno { app, process }, n)),
        Some(("host", rest)) => find(m, Kind::Host, rest).map(|i| one(Src::Host(HostIx(i)))),
        Some(("remote", rest)) => find(m, Kind::Remote, rest).map(|i| one(Src::RemoteHost(RemoteHostIx(i)))),
        Some(("client", rest)) => find(m, Kind::Client, rest).map(|i| one(Src::Client(ClientIx(i)))),
        Some(("hostname" | "discovery" | "addon" | "external", _)) => {
            Err(format!("that is a destination; --from takes {FROM_FORMS}.\n{}", valid_list(m, slot)))
        }
        None if text == "localhost" => {
            Err(format!("localhost is a destination; --from takes {FROM_FORMS}.\n{}", valid_list(m, slot)))
        }
        Some((kind, _)) if !looks_like_app(m, text) => Err(format!(
            "{} is not a kind of source; --from takes {FROM_FORMS}.\n{}",
            quoted(kind),
            valid_list(m, slot)
        )),
        _ => dyno_n(m, slot, text).map(|(app, process, n)| (Src::Dyno { app, process }, n)).map_err(|why| {
            if text.is_empty() { format!("--from takes {FROM_FORMS}.\n{}", valid_list(m, slot)) } else { why }
        }),
    }
}

fn dst(m: &Model, text: &str) -> Result<(Dst, u32), String> {
    let slot = Slot::To;
    if text == "localhost" {
        return Ok((Dst::Localhost, 1));
    }
    let one = |d: Dst| (d, 1);
    match split_kind(text) {
        Some(("hostname", rest)) => find(m, Kind::App, rest).map(|i| one(Dst::Hostname(AppIx(i)))),
        Some(("discovery", rest)) => dyno(m, slot, rest).map(|(app, process)| one(Dst::Discovery { app, process })),
        Some(("dyno", rest)) => dyno_n(m, slot, rest).map(|(app, process, n)| (Dst::DynoAddress { app, process }, n)),
        Some(("addon", rest)) => find(m, Kind::Addon, rest).map(|i| one(Dst::Addon(AddonIx(i)))),
        Some(("host", rest)) => find(m, Kind::Host, rest).map(|i| one(Dst::Host(HostIx(i)))),
        Some(("remote", rest)) => find(m, Kind::Remote, rest).map(|i| one(Dst::RemoteHost(RemoteHostIx(i)))),
        Some(("external", rest)) => find(m, Kind::External, rest).map(|i| one(Dst::External(ServiceIx(i)))),
        Some(("client", _)) => {
            Err(format!("an internet client is only a source; --to takes {TO_FORMS}.\n{}", valid_list(m, slot)))
        }
        Some((kind, _)) if !looks_like_app(m, text) => Err(format!(
            "{} is not a kind of destination; --to takes {TO_FORMS}.\n{}",
            quoted(kind),
            valid_list(m, slot)
        )),
        _ => {
            let hint = if let Ok(a) = find(m, Kind::App, text) {
                format!(" (for example hostname:{})", m.app(AppIx(a)).id)
            } else if let Ok((app, process, _)) = dyno_n(m, slot, text) {
                let r = src_ref(m, Src::Dyno { app, process });
                format!(" (for example dyno:{r} or discovery:{r})")
            } else {
                String::new()
            };
            Err(format!("name a kind of destination{hint}; --to takes {TO_FORMS}.\n{}", valid_list(m, slot)))
        }
    }
}

/// `kind:rest`, when the text has a colon.
fn split_kind(text: &str) -> Option<(&str, &str)> {
    text.split_once(':')
}

/// Whether the whole text names an app (or `APP/PROCESS`) whose ID or name happens to contain a colon.
fn looks_like_app(m: &Model, text: &str) -> bool {
    let app = text.rsplit_once('/').map_or(text, |(a, _)| a);
    find(m, Kind::App, app).is_ok()
}

/// Resolve `APP/PROCESS.N` (dyno `N` of the process, `web.2`), or what [`dyno`] resolves (dyno 1).
/// Whether dyno `N` runs is the engine's to say (`Query::with_dynos`), with the valid numbers.
fn dyno_n(m: &Model, slot: Slot, text: &str) -> Result<(AppIx, usize, u32), String> {
    if let Ok((app, process)) = dyno(m, slot, text) {
        return Ok((app, process, 1));
    }
    if let Some((app_text, process_text)) = text.rsplit_once('/')
        && let Ok(a) = find(m, Kind::App, app_text)
        && let (name, Some(n)) = split_dyno(m.app(AppIx(a)), process_text)
        && let Ok((app, process)) = dyno(m, slot, &format!("{app_text}/{name}"))
    {
        return Ok((app, process, n));
    }
    dyno(m, slot, text).map(|(app, process)| (app, process, 1))
}

/// Resolve `APP/PROCESS`, or `APP` for an app with a single process type.
fn dyno(m: &Model, slot: Slot, text: &str) -> Result<(AppIx, usize), String> {
    let (app_text, process_text) = match text.rsplit_once('/') {
        Some((a, p)) => (a, Some(p)),
        None => (text, None),
    };
    let app = AppIx(find(m, Kind::App, app_text)?);
    let a = m.app(app);
    let forms = || a.processes.iter().map(|p| format!("{}/{}", a.id, p.name)).collect::<Vec<_>>().join(", ");
    match process_text {
        Some(p) => match a.process(p) {
            Some(i) => Ok((app, i)),
            None if a.processes.is_empty() => Err(format!("the app {} has no process types", a.id)),
            None => Err(format!(
                "the app {} has no process type {}; valid {} references for it: {}",
                a.id,
                quoted(p),
                slot.option(),
                forms()
            )),
        },
        None if a.processes.len() == 1 => Ok((app, 0)),
        None if a.processes.is_empty() => Err(format!("the app {} has no process types", a.id)),
        None => Err(format!("name a process type of {}: {}", a.id, forms())),
    }
}

/// Find an object of `kind` by ID, then by name, then by either ignoring case.
fn find(m: &Model, kind: Kind, wanted: &str) -> Result<u32, String> {
    let objects = kind.objects(m);
    let matches = |tier: u8, id: &str, name: &str| match tier {
        0 => id == wanted,
        1 => name == wanted,
        _ => id.eq_ignore_ascii_case(wanted) || name.eq_ignore_ascii_case(wanted),
    };
    for tier in 0..3 {
        let hits: Vec<usize> =
            objects.iter().enumerate().filter(|(_, (id, name))| matches(tier, id, name)).map(|(i, _)| i).collect();
        match hits.as_slice() {
            [] => continue,
            [one] => return Ok(*one as u32),
            many => {
                let ids: Vec<&str> = many.iter().map(|i| objects[*i].0).collect();
                return Err(format!(
                    "{} names several {} ({}); use an ID",
                    quoted(wanted),
                    kind.plural(),
                    ids.join(", ")
                ));
            }
        }
    }
    if objects.is_empty() {
        return Err(format!("the scenario has no {}", kind.plural()));
    }
    let valid: Vec<String> = objects.iter().map(|(id, name)| described(id, name)).collect();
    Err(format!(
        "no {} has the ID or name {}; valid {}: {}",
        kind.singular(),
        quoted(wanted),
        kind.plural(),
        listed(&valid)
    ))
}

/// `id (name)`, or just `id` when they are the same.
fn described(id: &str, name: &str) -> String {
    if id == name { id.to_owned() } else { format!("{id} ({name})") }
}

fn listed(items: &[String]) -> String {
    if items.len() > MAX_LISTED {
        format!("{} and {} more", items[..MAX_LISTED].join(", "), items.len() - MAX_LISTED)
    } else {
        items.join(", ")
    }
}

/// "Valid --from references in this scenario: …".
fn valid_list(m: &Model, slot: Slot) -> String {
    let refs = match slot {
        Slot::From => src_refs(m),
        Slot::To => dst_refs(m),
    };
    let mut refs = refs;
    if refs.len() > MAX_LISTED {
        let more = refs.len() - MAX_LISTED;
        refs.truncate(MAX_LISTED);
        refs.push(format!("and {more} more"));
    }
    wrap_list(&format!("Valid {} references in this scenario: ", slot.option()), &refs, "  ", 120)
}

/// Every valid `--from` reference.
pub fn src_refs(m: &Model) -> Vec<String> {
    matrix::sources(m).into_iter().map(|s| src_ref(m, s)).collect()
}

/// Every valid `--to` reference.
pub fn dst_refs(m: &Model) -> Vec<String> {
    let apps = || (0..m.apps.len()).map(|a| AppIx(a as u32));
    let procs = || apps().flat_map(|a| (0..m.app(a).processes.len()).map(move |p| (a, p)));
    let mut out: Vec<Dst> = apps().map(Dst::Hostname).collect();
    out.extend(procs().map(|(app, process)| Dst::Discovery { app, process }));
    out.extend(procs().map(|(app, process)| Dst::DynoAddress { app, process }));
    out.push(Dst::Localhost);
    out.extend((0..m.addons.len()).map(|i| Dst::Addon(AddonIx(i as u32))));
    out.extend((0..m.hosts.len()).map(|i| Dst::Host(HostIx(i as u32))));
    out.extend((0..m.remote_hosts.len()).map(|i| Dst::RemoteHost(RemoteHostIx(i as u32))));
    out.extend((0..m.services.len()).map(|i| Dst::External(ServiceIx(i as u32))));
    out.into_iter().map(|d| dst_ref(m, d)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::default_model;

    #[test]
    fn a_dyno_is_named_by_its_number() {
        let m = default_model();
        let api = m.find_app("api").unwrap();
        let web = m.app(api).process("web").unwrap();
        let src = Src::Dyno { app: api, process: web };
        assert_eq!(resolve_src_dyno(&m, "api/web"), Ok((src, 1)));
        assert_eq!(resolve_src_dyno(&m, "api/web.2"), Ok((src, 2)));
        assert_eq!(resolve_src_dyno(&m, "dyno:acme-api/web.2"), Ok((src, 2)));
        let dst = Dst::DynoAddress { app: api, process: web };
        assert_eq!(resolve_dst_dyno(&m, "dyno:api/web.2"), Ok((dst, 2)));
        // DNS discovery names a process type, never one dyno.
        assert!(resolve_dst_dyno(&m, "discovery:api/web.2").is_err());
        assert!(resolve_src_dyno(&m, "api/nope.2").is_err());
    }

    #[test]
    fn sources_resolve_by_id_name_and_kind() {
        let m = default_model();
        let api = m.find_app("api").unwrap();
        let worker = m.app(api).process("worker").unwrap();
        assert_eq!(resolve_src(&m, "api/worker"), Ok(Src::Dyno { app: api, process: worker }));
        assert_eq!(resolve_src(&m, "acme-api/worker"), Ok(Src::Dyno { app: api, process: worker }));
        assert_eq!(resolve_src(&m, "dyno:API/worker"), Ok(Src::Dyno { app: api, process: worker }));
        let marketing = m.find_app("marketing").unwrap();
        assert_eq!(resolve_src(&m, "marketing"), Ok(Src::Dyno { app: marketing, process: 0 }));
        assert_eq!(resolve_src(&m, "host:warehouse"), Ok(Src::Host(m.find_host("warehouse").unwrap())));
        assert_eq!(resolve_src(&m, "host:warehouse-db"), Ok(Src::Host(m.find_host("warehouse").unwrap())));
        assert_eq!(resolve_src(&m, "remote:ldap"), Ok(Src::RemoteHost(m.find_remote_host("ldap").unwrap())));
        assert_eq!(resolve_src(&m, "client:anyone"), Ok(Src::Client(m.find_client("anyone").unwrap())));
    }

    #[test]
    fn destinations_resolve_by_id_name_and_kind() {
        let m = default_model();
        let api = m.find_app("api").unwrap();
        assert_eq!(resolve_dst(&m, "hostname:api"), Ok(Dst::Hostname(api)));
        assert_eq!(resolve_dst(&m, "discovery:api/web"), Ok(Dst::Discovery { app: api, process: 0 }));
        assert_eq!(resolve_dst(&m, "dyno:acme-api/worker"), Ok(Dst::DynoAddress { app: api, process: 1 }));
        assert_eq!(resolve_dst(&m, "localhost"), Ok(Dst::Localhost));
        assert_eq!(resolve_dst(&m, "addon:acme-db"), Ok(Dst::Addon(m.find_addon("acme-db").unwrap())));
        assert_eq!(resolve_dst(&m, "host:warehouse"), Ok(Dst::Host(m.find_host("warehouse").unwrap())));
        assert_eq!(resolve_dst(&m, "remote:ldap"), Ok(Dst::RemoteHost(m.find_remote_host("ldap").unwrap())));
        assert_eq!(resolve_dst(&m, "external:Partner API"), Ok(Dst::External(m.find_service("partner-api").unwrap())));
    }

    #[test]
    fn unknown_names_list_the_valid_ones() {
        let m = default_model();
        let e = resolve_src(&m, "host:nope").unwrap_err();
        assert_eq!(
            e,
            "--from \u{201c}host:nope\u{201d}: no VPC host has the ID or name \u{201c}nope\u{201d}; \
             valid VPC hosts: warehouse (warehouse-db)"
        );
        let e = resolve_src(&m, "nope/web").unwrap_err();
        assert!(e.contains("valid apps: api (acme-api), billing (acme-billing), marketing (acme-marketing)"), "{e}");
        let e = resolve_src(&m, "api/nope").unwrap_err();
        assert!(
            e.contains("no process type \u{201c}nope\u{201d}; valid --from references for it: api/web, api/worker")
        );
        let e = resolve_src(&m, "api").unwrap_err();
        assert!(e.contains("name a process type of api: api/web, api/worker"), "{e}");
        let e = resolve_dst(&m, "addon:redis").unwrap_err();
        assert!(e.contains("valid data add-ons: acme-db (acme-db (Postgres))"), "{e}");
        let e = resolve_dst(&m, "external:nope").unwrap_err();
        assert!(e.contains("valid external services: partner-api (Partner API)"), "{e}");
    }

    #[test]
    fn nonsense_lists_every_valid_reference_for_the_slot() {
        let m = default_model();
        let e = resolve_src(&m, "planet:mars").unwrap_err().replace("\n  ", " ");
        assert!(e.contains("\u{201c}planet\u{201d} is not a kind of source"), "{e}");
        assert!(e.contains("Valid --from references in this scenario: api/web, api/worker,"), "{e}");
        assert!(e.contains("host:warehouse, remote:ldap, client:anyone, client:office-wifi"), "{e}");
        let e = resolve_src(&m, "hostname:api").unwrap_err();
        assert!(e.contains("that is a destination"), "{e}");
        let e = resolve_dst(&m, "api/worker").unwrap_err().replace("\n  ", " ");
        assert!(e.contains("for example dyno:api/worker or discovery:api/worker"), "{e}");
        assert!(e.contains("Valid --to references in this scenario: hostname:api,"), "{e}");
        assert!(e.contains("localhost, addon:acme-db, host:warehouse, remote:ldap, external:partner-api"), "{e}");
        let e = resolve_dst(&m, "client:anyone").unwrap_err();
        assert!(e.contains("only a source"), "{e}");
    }

    #[test]
    fn a_shared_name_asks_for_an_id() {
        let mut doc: serde_json::Value = serde_json::from_str(&crate::tests::default_text()).unwrap();
        doc["internet_clients"][1]["name"] = serde_json::json!("Anyone on the internet");
        let m = spacetrace_engine::check_text(&doc.to_string()).model;
        let e = resolve_src(&m, "client:Anyone on the internet").unwrap_err();
        assert!(e.contains("names several internet clients (anyone, office-wifi); use an ID"), "{e}");
        assert_eq!(resolve_src(&m, "client:office-wifi"), Ok(Src::Client(m.find_client("office-wifi").unwrap())));
    }

    #[test]
    fn every_listed_reference_resolves_back() {
        let m = default_model();
        for r in src_refs(&m) {
            let src = resolve_src(&m, &r).unwrap();
            assert_eq!(src_ref(&m, src), r);
        }
        for r in dst_refs(&m) {
            let dst = resolve_dst(&m, &r).unwrap();
            assert_eq!(dst_ref(&m, dst), r);
        }
    }
}
