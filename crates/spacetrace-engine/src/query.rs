//! A connection question resolved against a model: typed ends, a protocol and a port.

use serde::Serialize;

use crate::diagnostics::{EndKind, ObjectKind};
use crate::doc::{self, Protocol};
use crate::model::*;

/// Where a question starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Src {
    /// The first dyno of an app's process type (index into the app's processes).
    Dyno {
        app: AppIx,
        process: usize,
    },
    Host(HostIx),
    RemoteHost(RemoteHostIx),
    Client(ClientIx),
}

/// What a question asks to reach.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Dst {
    Hostname(AppIx),
    Discovery { app: AppIx, process: usize },
    DynoAddress { app: AppIx, process: usize },
    Localhost,
    Addon(AddonIx),
    Host(HostIx),
    RemoteHost(RemoteHostIx),
    External(ServiceIx),
}

/// Where a question starts when it does not start at a dyno: outside Heroku.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Outside {
    Host(HostIx),
    RemoteHost(RemoteHostIx),
    Client(ClientIx),
}

/// A destination on Heroku: what a question from outside Heroku may ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum OnHeroku {
    Hostname(AppIx),
    Discovery { app: AppIx, process: usize },
    DynoAddress { app: AppIx, process: usize },
    Addon(AddonIx),
}

/// A question's two ends, as only they can be asked: from a dyno to anything a dyno may ask for,
/// or from outside Heroku to Heroku. A pair with neither end on Heroku, or `localhost` asked by
/// something that is not a dyno, cannot be written down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Ends {
    FromDyno { app: AppIx, process: usize, to: Dst },
    FromOutside { from: Outside, to: OnHeroku },
}

impl Ends {
    /// The ends of a question from `src` to `dst`, if Spacetrace models it.
    fn new(src: Src, dst: Dst) -> Result<Self, QueryError> {
        let from = match src {
            Src::Dyno { app, process } => return Ok(Ends::FromDyno { app, process, to: dst }),
            Src::Host(h) => Outside::Host(h),
            Src::RemoteHost(h) => Outside::RemoteHost(h),
            Src::Client(c) => Outside::Client(c),
        };
        let to = match dst {
            Dst::Hostname(a) => OnHeroku::Hostname(a),
            Dst::Discovery { app, process } => OnHeroku::Discovery { app, process },
            Dst::DynoAddress { app, process } => OnHeroku::DynoAddress { app, process },
            Dst::Addon(x) => OnHeroku::Addon(x),
            Dst::Localhost => return Err(QueryError::LocalhostNeedsDyno),
            Dst::Host(_) | Dst::RemoteHost(_) | Dst::External(_) => {
                return Err(QueryError::OutOfScope { from: src_kind(src), to: dst_kind(dst) });
            }
        };
        Ok(Ends::FromOutside { from, to })
    }

    pub fn src(self) -> Src {
        match self {
            Ends::FromDyno { app, process, .. } => Src::Dyno { app, process },
            Ends::FromOutside { from: Outside::Host(h), .. } => Src::Host(h),
            Ends::FromOutside { from: Outside::RemoteHost(h), .. } => Src::RemoteHost(h),
            Ends::FromOutside { from: Outside::Client(c), .. } => Src::Client(c),
        }
    }

    pub fn dst(self) -> Dst {
        match self {
            Ends::FromDyno { to, .. } => to,
            Ends::FromOutside { to, .. } => match to {
                OnHeroku::Hostname(a) => Dst::Hostname(a),
                OnHeroku::Discovery { app, process } => Dst::Discovery { app, process },
                OnHeroku::DynoAddress { app, process } => Dst::DynoAddress { app, process },
                OnHeroku::Addon(x) => Dst::Addon(x),
            },
        }
    }
}

/// A question that can be evaluated: built only through [`Query::new`] or [`Query::from_doc`],
/// which refuse pairs outside what Spacetrace models (its [`Ends`] cannot hold them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(into = "QueryFields")]
pub struct Query {
    ends: Ends,
    protocol: Protocol,
    port: u16,
    /// Which dyno of the source process (`web.2` is 2); 1 unless named.
    src_dyno: u32,
    /// Which dyno a dyno-address destination names; 1 unless named.
    dst_dyno: u32,
}

/// A query as it is written out: its source and destination, protocol, port and dyno numbers.
#[derive(Serialize)]
struct QueryFields {
    src: Src,
    dst: Dst,
    protocol: Protocol,
    port: u16,
    src_dyno: u32,
    dst_dyno: u32,
}

impl From<Query> for QueryFields {
    fn from(q: Query) -> Self {
        Self {
            src: q.src(),
            dst: q.dst(),
            protocol: q.protocol,
            port: q.port,
            src_dyno: q.src_dyno,
            dst_dyno: q.dst_dyno,
        }
    }
}

/// A process named in a question, `web` or `web.2`: the process type and the dyno number, if
/// any. A process type whose whole name matches is taken as is, so nothing read before changes.
pub fn split_dyno<'a>(app: &App, process: &'a str) -> (&'a str, Option<u32>) {
    if app.process(process).is_some() {
        return (process, None);
    }
    match process.rsplit_once('.') {
        Some((name, n)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => {
            (name, Some(n.parse().unwrap_or(u32::MAX)))
        }
        _ => (process, None),
    }
}

/// Why a question cannot be asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueryError {
    /// `id` names no `expected` (a process type: of the app `within`).
    Unknown {
        field: &'static str,
        id: String,
        expected: ObjectKind,
        within: Option<String>,
    },
    OutOfScope {
        from: EndKind,
        to: EndKind,
    },
    LocalhostNeedsDyno,
    PortZero,
    /// A dyno number (`web.3`) beyond what the process runs.
    NoSuchDyno {
        field: &'static str,
        app: String,
        process: String,
        dyno: u32,
        dynos: u32,
    },
}

impl Query {
    /// A question between two resolved ends. Pairs where neither end is on Heroku are refused.
    pub fn new(src: Src, dst: Dst, protocol: Protocol, port: u16) -> Result<Self, QueryError> {
        if port == 0 && dst != Dst::Localhost {
            return Err(QueryError::PortZero);
        }
        Ok(Self {
            ends: Ends::new(src, dst)?,
            protocol,
            port: if dst == Dst::Localhost && port == 0 { 1 } else { port },
            src_dyno: 1,
            dst_dyno: 1,
        })
    }

    /// The same question between other dynos (`web.2`): `src` numbers the source dyno, `dst` the
    /// destination's when it is a dyno address. A number the formation does not run is refused,
    /// naming the valid ones; a number for an end that is not a dyno is ignored.
    pub fn with_dynos(self, model: &Model, src: u32, dst: u32) -> Result<Self, QueryError> {
        let check = |field, a: AppIx, p: usize, n: u32| -> Result<u32, QueryError> {
            let app = model.app(a);
            match app.processes.get(p) {
                Some(process) if !process.has_dyno(n) => Err(QueryError::NoSuchDyno {
                    field,
                    app: app.id.clone(),
                    process: process.name.clone(),
                    dyno: n,
                    dynos: process.dynos,
                }),
                _ => Ok(n),
            }
        };
        let src_dyno = match self.src() {
            Src::Dyno { app, process } => check("from", app, process, src)?,
            _ => 1,
        };
        let dst_dyno = match self.dst() {
            Dst::DynoAddress { app, process } => check("to", app, process, dst)?,
            _ => 1,
        };
        Ok(Self { src_dyno, dst_dyno, ..self })
    }

    /// The source dyno's number (`web.2` is 2; 1 when the source is not a dyno).
    pub fn src_dyno(&self) -> u32 {
        self.src_dyno
    }

    /// The destination dyno's number (1 unless the question names a dyno address `web.N`).
    pub fn dst_dyno(&self) -> u32 {
        self.dst_dyno
    }

    /// Whether a dyno asks its own address: the same app, process and dyno number (never two
    /// dynos that merely share an address in two spaces with the same CIDR).
    pub fn is_own_address(&self) -> bool {
        match self.ends {
            Ends::FromDyno { app, process, to: Dst::DynoAddress { app: b, process: q } } => {
                app == b && process == q && self.src_dyno == self.dst_dyno
            }
            _ => false,
        }
    }

    /// Resolve a document question against a model.
    pub fn from_doc(
        model: &Model,
        from: &doc::From,
        to: &doc::To,
        protocol: Protocol,
        port: u16,
    ) -> Result<Self, QueryError> {
        let unknown =
            |field, id: &str, expected| QueryError::Unknown { field, id: id.to_owned(), expected, within: None };
        let no_process = |field, app: &str, process: &str| QueryError::Unknown {
            field,
            id: process.to_owned(),
            expected: ObjectKind::ProcessType,
            within: Some(app.to_owned()),
        };
        let proc_of = |field, app: &str, process: &str| -> Result<(AppIx, usize), QueryError> {
            let a = model.find_app(app).ok_or_else(|| unknown(field, app, ObjectKind::App))?;
            let p = model.app(a).process(process).ok_or_else(|| no_process(field, app, process))?;
            Ok((a, p))
        };
        // `web.2` names the second dyno of `web` (a source or a dyno address).
        let dyno_of = |field, app: &str, process: &str| -> Result<(AppIx, usize, u32), QueryError> {
            let a = model.find_app(app).ok_or_else(|| unknown(field, app, ObjectKind::App))?;
            let (name, n) = split_dyno(model.app(a), process);
            let p = model.app(a).process(name).ok_or_else(|| no_process(field, app, process))?;
            Ok((a, p, n.unwrap_or(1)))
        };
        let mut dynos = (1, 1);
        let src = match from {
            doc::From::Dyno { app, process } => {
                let (app, process, n) = dyno_of("from", app, process)?;
                dynos.0 = n;
                Src::Dyno { app, process }
            }
            doc::From::Host(h) => Src::Host(model.find_host(h).ok_or_else(|| unknown("from", h, ObjectKind::Host))?),
            doc::From::RemoteHost(h) => {
                Src::RemoteHost(model.find_remote_host(h).ok_or_else(|| unknown("from", h, ObjectKind::RemoteHost))?)
            }
            doc::From::Client(c) => {
                Src::Client(model.find_client(c).ok_or_else(|| unknown("from", c, ObjectKind::InternetClient))?)
            }
        };
        let dst = match to {
            doc::To::Hostname(a) => Dst::Hostname(model.find_app(a).ok_or_else(|| unknown("to", a, ObjectKind::App))?),
            doc::To::Discovery { app, process } => {
                let (app, process) = proc_of("to", app, process)?;
                Dst::Discovery { app, process }
            }
            doc::To::DynoAddress { app, process } => {
                let (app, process, n) = dyno_of("to", app, process)?;
                dynos.1 = n;
                Dst::DynoAddress { app, process }
            }
            doc::To::Localhost => Dst::Localhost,
            doc::To::Addon(a) => Dst::Addon(model.find_addon(a).ok_or_else(|| unknown("to", a, ObjectKind::Addon))?),
            doc::To::Host(h) => Dst::Host(model.find_host(h).ok_or_else(|| unknown("to", h, ObjectKind::Host))?),
            doc::To::RemoteHost(h) => {
                Dst::RemoteHost(model.find_remote_host(h).ok_or_else(|| unknown("to", h, ObjectKind::RemoteHost))?)
            }
            doc::To::External(s) => {
                Dst::External(model.find_service(s).ok_or_else(|| unknown("to", s, ObjectKind::ExternalService))?)
            }
        };
        Self::new(src, dst, protocol, port)?.with_dynos(model, dynos.0, dynos.1)
    }

    pub fn src(&self) -> Src {
        self.ends.src()
    }
    pub fn dst(&self) -> Dst {
        self.ends.dst()
    }
    /// The two ends, typed so that only a pair Spacetrace models can be held.
    pub fn ends(&self) -> Ends {
        self.ends
    }
    pub fn protocol(&self) -> Protocol {
        self.protocol
    }
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The same question on another port.
    pub fn with_port(self, port: u16) -> Result<Self, QueryError> {
        let q = Self::new(self.src(), self.dst(), self.protocol, port)?;
        Ok(Self { src_dyno: self.src_dyno, dst_dyno: self.dst_dyno, ..q })
    }

    /// Back to document form (for saving a question asked in the app).
    pub fn to_doc(&self, model: &Model) -> (doc::From, doc::To) {
        let proc_name = |a: AppIx, p: usize| model.app(a).processes.get(p).map(|p| p.name.clone()).unwrap_or_default();
        let dyno_name = |a: AppIx, p: usize, n: u32| match n {
            1 => proc_name(a, p),
            n => format!("{}.{n}", proc_name(a, p)),
        };
        let from = match self.src() {
            Src::Dyno { app, process } => {
                doc::From::Dyno { app: model.app(app).id.clone(), process: dyno_name(app, process, self.src_dyno) }
            }
            Src::Host(h) => doc::From::Host(model.host(h).id.clone()),
            Src::RemoteHost(h) => doc::From::RemoteHost(model.remote_host(h).id.clone()),
            Src::Client(c) => doc::From::Client(model.clients[c.ix()].id.clone()),
        };
        let to = match self.dst() {
            Dst::Hostname(a) => doc::To::Hostname(model.app(a).id.clone()),
            Dst::Discovery { app, process } => {
                doc::To::Discovery { app: model.app(app).id.clone(), process: proc_name(app, process) }
            }
            Dst::DynoAddress { app, process } => {
                doc::To::DynoAddress { app: model.app(app).id.clone(), process: dyno_name(app, process, self.dst_dyno) }
            }
            Dst::Localhost => doc::To::Localhost,
            Dst::Addon(a) => doc::To::Addon(model.addon(a).id.clone()),
            Dst::Host(h) => doc::To::Host(model.host(h).id.clone()),
            Dst::RemoteHost(h) => doc::To::RemoteHost(model.remote_host(h).id.clone()),
            Dst::External(s) => doc::To::External(model.services[s.ix()].id.clone()),
        };
        (from, to)
    }
}

/// What kind of end a source is.
pub fn src_kind(s: Src) -> EndKind {
    match s {
        Src::Dyno { .. } => EndKind::Dyno,
        Src::Host(_) => EndKind::Host,
        Src::RemoteHost(_) => EndKind::RemoteHost,
        Src::Client(_) => EndKind::Client,
    }
}

/// What kind of end a destination is.
pub fn dst_kind(d: Dst) -> EndKind {
    match d {
        Dst::Hostname(_) => EndKind::Hostname,
        Dst::Discovery { .. } => EndKind::Discovery,
        Dst::DynoAddress { .. } => EndKind::DynoAddress,
        Dst::Localhost => EndKind::Localhost,
        Dst::Addon(_) => EndKind::Addon,
        Dst::Host(_) => EndKind::Host,
        Dst::RemoteHost(_) => EndKind::RemoteHost,
        Dst::External(_) => EndKind::External,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check_text;

    fn model() -> Model {
        check_text(
            r#"{"version": 2, "common_runtime_apps": [{"id": "a", "process_types": [
                {"name": "web", "dynos": 2}, {"name": "v1.5", "dynos": 1}, {"name": "idle", "dynos": 0}]}]}"#,
        )
        .model
    }

    #[test]
    fn only_pairs_with_a_heroku_end_can_be_held() {
        let (host, dyno) = (Src::Host(HostIx(0)), Dst::DynoAddress { app: AppIx(0), process: 0 });
        let q = |src, dst| Query::new(src, dst, Protocol::Tcp, 80);
        assert!(matches!(q(host, Dst::Host(HostIx(0))), Err(QueryError::OutOfScope { .. })));
        assert!(matches!(q(Src::Client(ClientIx(0)), Dst::External(ServiceIx(0))), Err(QueryError::OutOfScope { .. })));
        assert_eq!(q(host, Dst::Localhost), Err(QueryError::LocalhostNeedsDyno));
        let ok = q(host, dyno).expect("a VPC host may ask for a dyno");
        assert_eq!((ok.src(), ok.dst()), (host, dyno));
        assert_eq!(
            ok.ends(),
            Ends::FromOutside {
                from: Outside::Host(HostIx(0)),
                to: OnHeroku::DynoAddress { app: AppIx(0), process: 0 }
            }
        );
        // Written out as its source and destination, not as its ends.
        let json = serde_json::to_value(ok).expect("a query serialises");
        let keys: Vec<&str> = json.as_object().expect("an object").keys().map(String::as_str).collect();
        assert_eq!(keys, ["dst", "dst_dyno", "port", "protocol", "src", "src_dyno"]);
        assert_eq!(json["src"], serde_json::json!({ "Host": 0 }));
    }

    #[test]
    fn a_process_name_may_carry_a_dyno_number() {
        let m = model();
        let app = m.app(AppIx(0));
        assert_eq!(split_dyno(app, "web"), ("web", None));
        assert_eq!(split_dyno(app, "web.2"), ("web", Some(2)));
        assert_eq!(split_dyno(app, "web.x"), ("web.x", None));
        assert_eq!(split_dyno(app, "web."), ("web.", None));
        // A process type whose whole name matches is taken as is.
        assert_eq!(split_dyno(app, "v1.5"), ("v1.5", None));
        assert_eq!(split_dyno(app, "web.99999999999"), ("web", Some(u32::MAX)));
    }

    #[test]
    fn dyno_numbers_are_checked_against_the_formation() {
        let m = model();
        let q = |p, src, dst| {
            Query::new(
                Src::Dyno { app: AppIx(0), process: p },
                Dst::DynoAddress { app: AppIx(0), process: p },
                Protocol::Tcp,
                80,
            )
            .unwrap()
            .with_dynos(&m, src, dst)
        };
        assert!(q(0, 2, 1).is_ok());
        assert!(!q(0, 1, 2).unwrap().is_own_address());
        assert!(q(0, 2, 2).unwrap().is_own_address());
        assert!(matches!(q(0, 3, 1), Err(QueryError::NoSuchDyno { field: "from", dyno: 3, dynos: 2, .. })));
        assert!(matches!(q(0, 1, 0), Err(QueryError::NoSuchDyno { field: "to", dyno: 0, .. })));
        // A process scaled to zero may still be named as .1 (to be told nothing runs), no further.
        assert!(q(2, 1, 1).is_ok());
        assert!(q(2, 2, 1).is_err());
        // A changed port keeps the dynos.
        let moved = q(0, 2, 1).unwrap().with_port(81).unwrap();
        assert_eq!((moved.src_dyno(), moved.dst_dyno(), moved.port()), (2, 1, 81));
    }
}
