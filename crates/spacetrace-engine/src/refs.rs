//! Object references: short, stable identifiers for a question's ends, built from object IDs
//! (`api/worker`, `host:warehouse`, `hostname:api`, …). The CLI prints them and takes them back
//! (`ask --from REF --to REF`); the app labels matrix cells with them; the matrix diff matches
//! rows and columns across two documents by them. They are identifiers, not prose.
//!
//! Sources: `APP/PROCESS`, `host:ID`, `remote:ID`, `client:ID`.
//! Destinations: `hostname:APP`, `discovery:APP/PROCESS`, `dyno:APP/PROCESS`, `localhost`,
//! `addon:ID`, `host:ID`, `remote:ID`, `external:ID`.
//! A service (a destination on a protocol and port): `DESTINATION PROTOCOL/PORT`, as in
//! `host:warehouse tcp/5432`.
//!
//! An index that is not in the model (never the case for ends built from the same model) gives
//! `?` in place of the ID instead of panicking.

use crate::doc::Protocol;
use crate::matrix::ServiceEnd;
use crate::model::{AppIx, Model};
use crate::query::{Dst, Src};

/// Stands in for an ID whose index is not in the model.
const UNKNOWN: &str = "?";

/// The reference for a source, as `spacetrace ask --from` takes it.
pub fn src_ref(m: &Model, src: Src) -> String {
    match src {
        Src::Dyno { app, process } => format!("{}/{}", app_id(m, app), process_name(m, app, process)),
        Src::Host(h) => format!("host:{}", id(m.hosts.get(h.ix()).map(|o| o.id.as_str()))),
        Src::RemoteHost(h) => format!("remote:{}", id(m.remote_hosts.get(h.ix()).map(|o| o.id.as_str()))),
        Src::Client(c) => format!("client:{}", id(m.clients.get(c.ix()).map(|o| o.id.as_str()))),
    }
}

/// The reference for a destination, as `spacetrace ask --to` takes it.
pub fn dst_ref(m: &Model, dst: Dst) -> String {
    match dst {
        Dst::Hostname(a) => format!("hostname:{}", app_id(m, a)),
        Dst::Discovery { app, process } => format!("discovery:{}/{}", app_id(m, app), process_name(m, app, process)),
        Dst::DynoAddress { app, process } => format!("dyno:{}/{}", app_id(m, app), process_name(m, app, process)),
        Dst::Localhost => "localhost".to_owned(),
        Dst::Addon(a) => format!("addon:{}", id(m.addons.get(a.ix()).map(|o| o.id.as_str()))),
        Dst::Host(h) => format!("host:{}", id(m.hosts.get(h.ix()).map(|o| o.id.as_str()))),
        Dst::RemoteHost(h) => format!("remote:{}", id(m.remote_hosts.get(h.ix()).map(|o| o.id.as_str()))),
        Dst::External(s) => format!("external:{}", id(m.services.get(s.ix()).map(|o| o.id.as_str()))),
    }
}

/// The lowercase protocol name used in references (`tcp`, `udp`), as `ask --protocol` takes it.
pub fn protocol_ref(p: Protocol) -> &'static str {
    match p {
        Protocol::Tcp => "tcp",
        Protocol::Udp => "udp",
    }
}

/// The reference for a destination service: `DESTINATION PROTOCOL/PORT` (`host:warehouse tcp/5432`).
pub fn service_ref(m: &Model, s: &ServiceEnd) -> String {
    format!("{} {}/{}", dst_ref(m, s.dst), protocol_ref(s.protocol), s.port)
}

/// The reference for a question's source as the document gives it (by ID), whether or not it
/// names anything: `api/worker`, `api/web.2`, `host:warehouse`.
pub fn doc_src_ref(from: &crate::doc::From) -> String {
    use crate::doc::From as F;
    match from {
        F::Dyno { app, process } => format!("{app}/{process}"),
        F::Host(h) => format!("host:{h}"),
        F::RemoteHost(h) => format!("remote:{h}"),
        F::Client(c) => format!("client:{c}"),
    }
}

/// The reference for a question's destination as the document gives it (by ID).
pub fn doc_dst_ref(to: &crate::doc::To) -> String {
    use crate::doc::To as T;
    match to {
        T::Hostname(a) => format!("hostname:{a}"),
        T::Discovery { app, process } => format!("discovery:{app}/{process}"),
        T::DynoAddress { app, process } => format!("dyno:{app}/{process}"),
        T::Localhost => "localhost".to_owned(),
        T::Addon(a) => format!("addon:{a}"),
        T::Host(h) => format!("host:{h}"),
        T::RemoteHost(h) => format!("remote:{h}"),
        T::External(s) => format!("external:{s}"),
    }
}

fn id(found: Option<&str>) -> &str {
    found.unwrap_or(UNKNOWN)
}

fn app_id(m: &Model, a: AppIx) -> &str {
    id(m.apps.get(a.ix()).map(|o| o.id.as_str()))
}

fn process_name(m: &Model, a: AppIx, process: usize) -> &str {
    id(m.apps.get(a.ix()).and_then(|app| app.processes.get(process)).map(|p| p.name.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::check_text;
    use crate::matrix::{services, sources};
    use crate::model::{AddonIx, ClientIx, HostIx, RemoteHostIx, ServiceIx};

    fn default_model() -> Model {
        check_text(include_str!("../../../scenarios/default.json")).model
    }

    #[test]
    fn sources_are_named_by_id() {
        let m = default_model();
        let refs: Vec<String> = sources(&m).into_iter().map(|s| src_ref(&m, s)).collect();
        assert_eq!(
            refs,
            [
                "api/web",
                "api/worker",
                "billing/web",
                "marketing/web",
                "host:warehouse",
                "remote:ldap",
                "client:anyone",
                "client:office-wifi"
            ]
        );
    }

    #[test]
    fn destinations_are_named_by_kind_and_id() {
        let m = default_model();
        let api = m.find_app("api").unwrap();
        assert_eq!(dst_ref(&m, Dst::Hostname(api)), "hostname:api");
        assert_eq!(dst_ref(&m, Dst::Discovery { app: api, process: 1 }), "discovery:api/worker");
        assert_eq!(dst_ref(&m, Dst::DynoAddress { app: api, process: 0 }), "dyno:api/web");
        assert_eq!(dst_ref(&m, Dst::Localhost), "localhost");
        assert_eq!(dst_ref(&m, Dst::Addon(m.find_addon("acme-db").unwrap())), "addon:acme-db");
        assert_eq!(dst_ref(&m, Dst::Host(m.find_host("warehouse").unwrap())), "host:warehouse");
        assert_eq!(dst_ref(&m, Dst::RemoteHost(m.find_remote_host("ldap").unwrap())), "remote:ldap");
        assert_eq!(dst_ref(&m, Dst::External(m.find_service("partner-api").unwrap())), "external:partner-api");
    }

    #[test]
    fn services_carry_protocol_and_port() {
        let m = default_model();
        let all = services(&m);
        let warehouse = all.iter().find(|s| s.dst == Dst::Host(m.find_host("warehouse").unwrap())).unwrap();
        assert_eq!(service_ref(&m, warehouse), "host:warehouse tcp/5432");
        let udp = ServiceEnd { dst: Dst::Localhost, protocol: Protocol::Udp, port: 53 };
        assert_eq!(service_ref(&m, &udp), "localhost udp/53");
        // Every service of a model has its own reference, so they can key a map.
        let mut refs: Vec<String> = all.iter().map(|s| service_ref(&m, s)).collect();
        let n = refs.len();
        refs.sort();
        refs.dedup();
        assert_eq!(refs.len(), n);
    }

    #[test]
    fn indices_outside_the_model_do_not_panic() {
        let m = Model::default();
        let app = AppIx(3);
        assert_eq!(src_ref(&m, Src::Dyno { app, process: 9 }), "?/?");
        assert_eq!(src_ref(&m, Src::Host(HostIx(1))), "host:?");
        assert_eq!(src_ref(&m, Src::RemoteHost(RemoteHostIx(1))), "remote:?");
        assert_eq!(src_ref(&m, Src::Client(ClientIx(1))), "client:?");
        assert_eq!(dst_ref(&m, Dst::Hostname(app)), "hostname:?");
        assert_eq!(dst_ref(&m, Dst::Discovery { app, process: 0 }), "discovery:?/?");
        assert_eq!(dst_ref(&m, Dst::DynoAddress { app, process: 0 }), "dyno:?/?");
        assert_eq!(dst_ref(&m, Dst::Addon(AddonIx(0))), "addon:?");
        assert_eq!(dst_ref(&m, Dst::Host(HostIx(0))), "host:?");
        assert_eq!(dst_ref(&m, Dst::RemoteHost(RemoteHostIx(0))), "remote:?");
        assert_eq!(dst_ref(&m, Dst::External(ServiceIx(0))), "external:?");
    }
}
