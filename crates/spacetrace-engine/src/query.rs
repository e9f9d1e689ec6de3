//! A connection question resolved against a model: typed ends, a protocol and a port.

use serde::Serialize;

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

/// A question that can be evaluated: built only through [`Query::new`] or [`Query::from_doc`],
/// which refuse pairs outside what Spacetrace models.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Query {
    src: Src,
    dst: Dst,
    protocol: Protocol,
    port: u16,
}

/// Why a question cannot be asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueryError {
    Unknown { field: &'static str, id: String, expected: &'static str },
    OutOfScope { from: String, to: String },
    LocalhostNeedsDyno,
    PortZero,
}

impl Query {
    /// A question between two resolved ends. Pairs where neither end is on Heroku are refused.
    pub fn new(src: Src, dst: Dst, protocol: Protocol, port: u16) -> Result<Self, QueryError> {
        if port == 0 && dst != Dst::Localhost {
            return Err(QueryError::PortZero);
        }
        let heroku_src = matches!(src, Src::Dyno { .. });
        let heroku_dst =
            matches!(dst, Dst::Hostname(_) | Dst::Discovery { .. } | Dst::DynoAddress { .. } | Dst::Addon(_));
        if dst == Dst::Localhost && !heroku_src {
            return Err(QueryError::LocalhostNeedsDyno);
        }
        if !heroku_src && !heroku_dst {
            return Err(QueryError::OutOfScope { from: src_kind(src).into(), to: dst_kind(dst).into() });
        }
        Ok(Self { src, dst, protocol, port: if dst == Dst::Localhost && port == 0 { 1 } else { port } })
    }

    /// Resolve a document question against a model.
    pub fn from_doc(
        model: &Model,
        from: &doc::From,
        to: &doc::To,
        protocol: Protocol,
        port: u16,
    ) -> Result<Self, QueryError> {
        let unknown = |field, id: &str, expected| QueryError::Unknown { field, id: id.to_owned(), expected };
        let proc_of = |field, app: &str, process: &str| -> Result<(AppIx, usize), QueryError> {
            let a = model.find_app(app).ok_or_else(|| unknown(field, app, "app"))?;
            let p = model.app(a).process(process).ok_or_else(|| unknown(field, process, "process type of that app"))?;
            Ok((a, p))
        };
        let src = match from {
            doc::From::Dyno { app, process } => {
                let (app, process) = proc_of("from", app, process)?;
                Src::Dyno { app, process }
            }
            doc::From::Host(h) => Src::Host(model.find_host(h).ok_or_else(|| unknown("from", h, "VPC host"))?),
            doc::From::RemoteHost(h) => {
                Src::RemoteHost(model.find_remote_host(h).ok_or_else(|| unknown("from", h, "remote host"))?)
            }
            doc::From::Client(c) => {
                Src::Client(model.find_client(c).ok_or_else(|| unknown("from", c, "internet client"))?)
            }
        };
        let dst = match to {
            doc::To::Hostname(a) => Dst::Hostname(model.find_app(a).ok_or_else(|| unknown("to", a, "app"))?),
            doc::To::Discovery { app, process } => {
                let (app, process) = proc_of("to", app, process)?;
                Dst::Discovery { app, process }
            }
            doc::To::DynoAddress { app, process } => {
                let (app, process) = proc_of("to", app, process)?;
                Dst::DynoAddress { app, process }
            }
            doc::To::Localhost => Dst::Localhost,
            doc::To::Addon(a) => Dst::Addon(model.find_addon(a).ok_or_else(|| unknown("to", a, "add-on"))?),
            doc::To::Host(h) => Dst::Host(model.find_host(h).ok_or_else(|| unknown("to", h, "VPC host"))?),
            doc::To::RemoteHost(h) => {
                Dst::RemoteHost(model.find_remote_host(h).ok_or_else(|| unknown("to", h, "remote host"))?)
            }
            doc::To::External(s) => {
                Dst::External(model.find_service(s).ok_or_else(|| unknown("to", s, "external service"))?)
            }
        };
        Self::new(src, dst, protocol, port)
    }

    pub fn src(&self) -> Src {
        self.src
    }
    pub fn dst(&self) -> Dst {
        self.dst
    }
    pub fn protocol(&self) -> Protocol {
        self.protocol
    }
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The same question on another port.
    pub fn with_port(self, port: u16) -> Result<Self, QueryError> {
        Self::new(self.src, self.dst, self.protocol, port)
    }

    /// Back to document form (for saving a question asked in the app).
    pub fn to_doc(&self, model: &Model) -> (doc::From, doc::To) {
        let proc_name = |a: AppIx, p: usize| model.app(a).processes.get(p).map(|p| p.name.clone()).unwrap_or_default();
        let from = match self.src {
            Src::Dyno { app, process } => {
                doc::From::Dyno { app: model.app(app).id.clone(), process: proc_name(app, process) }
            }
            Src::Host(h) => doc::From::Host(model.host(h).id.clone()),
            Src::RemoteHost(h) => doc::From::RemoteHost(model.remote_host(h).id.clone()),
            Src::Client(c) => doc::From::Client(model.clients[c.ix()].id.clone()),
        };
        let to = match self.dst {
            Dst::Hostname(a) => doc::To::Hostname(model.app(a).id.clone()),
            Dst::Discovery { app, process } => {
                doc::To::Discovery { app: model.app(app).id.clone(), process: proc_name(app, process) }
            }
            Dst::DynoAddress { app, process } => {
                doc::To::DynoAddress { app: model.app(app).id.clone(), process: proc_name(app, process) }
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

fn src_kind(s: Src) -> &'static str {
    match s {
        Src::Dyno { .. } => "a dyno",
        Src::Host(_) => "a VPC host",
        Src::RemoteHost(_) => "a remote host",
        Src::Client(_) => "an internet client",
    }
}

fn dst_kind(d: Dst) -> &'static str {
    match d {
        Dst::Hostname(_) => "an app hostname",
        Dst::Discovery { .. } => "a DNS service discovery name",
        Dst::DynoAddress { .. } => "a dyno address",
        Dst::Localhost => "localhost",
        Dst::Addon(_) => "a data add-on",
        Dst::Host(_) => "a VPC host",
        Dst::RemoteHost(_) => "a remote host",
        Dst::External(_) => "an external service",
    }
}
