//! All pairs: every source against every destination service, as verdicts. Built to be
//! re-evaluated on every edit: the cells hold outcomes only; a full trace is computed on demand.

use serde::Serialize;

use crate::doc::Protocol;
use crate::eval::evaluate;
use crate::model::{AddonIx, AppIx, ClientIx, HostIx, Model, RemoteHostIx, ServiceIx};
use crate::query::{Dst, Query, Src};
use crate::trace::{Outcome, Trace};

/// A destination service: where, on which protocol and port.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct ServiceEnd {
    pub dst: Dst,
    pub protocol: Protocol,
    pub port: u16,
}

/// Every source in the model, in a stable order: dynos (by app and process), VPC hosts, remote
/// hosts, internet clients.
pub fn sources(model: &Model) -> Vec<Src> {
    let mut out = Vec::new();
    for (a, app) in model.apps.iter().enumerate() {
        for p in 0..app.processes.len() {
            out.push(Src::Dyno { app: AppIx(a as u32), process: p });
        }
    }
    out.extend((0..model.hosts.len()).map(|h| Src::Host(HostIx(h as u32))));
    out.extend((0..model.remote_hosts.len()).map(|h| Src::RemoteHost(RemoteHostIx(h as u32))));
    out.extend((0..model.clients.len()).map(|c| Src::Client(ClientIx(c as u32))));
    out
}

/// Every destination service in the model, in a stable order: app hostnames on 443, dyno
/// addresses on each port their process listens on, data add-ons, VPC hosts, remote hosts and
/// external services on their ports.
pub fn services(model: &Model) -> Vec<ServiceEnd> {
    let tcp = |dst, port| ServiceEnd { dst, protocol: Protocol::Tcp, port };
    let mut out = Vec::new();
    for (a, app) in model.apps.iter().enumerate() {
        let ai = AppIx(a as u32);
        out.push(tcp(Dst::Hostname(ai), 443));
        for (p, process) in app.processes.iter().enumerate() {
            let dst = Dst::DynoAddress { app: ai, process: p };
            if process.is_web() {
                out.push(tcp(dst, app.web_port));
            }
            out.extend(process.ports.iter().map(|l| ServiceEnd { dst, protocol: l.protocol, port: l.port }));
        }
    }
    for (x, addon) in model.addons.iter().enumerate() {
        out.push(tcp(Dst::Addon(AddonIx(x as u32)), addon.port));
    }
    for (h, host) in model.hosts.iter().enumerate() {
        let dst = Dst::Host(HostIx(h as u32));
        out.extend(host.ports.iter().map(|l| ServiceEnd { dst, protocol: l.protocol, port: l.port }));
    }
    for (h, host) in model.remote_hosts.iter().enumerate() {
        let dst = Dst::RemoteHost(RemoteHostIx(h as u32));
        out.extend(host.ports.iter().map(|l| ServiceEnd { dst, protocol: l.protocol, port: l.port }));
    }
    for (s, service) in model.services.iter().enumerate() {
        let dst = Dst::External(ServiceIx(s as u32));
        out.extend(service.ports.iter().map(|l| ServiceEnd { dst, protocol: l.protocol, port: l.port }));
    }
    out
}

/// The most cells a matrix holds. A model with more pairs (tens of thousands of apps, say) gets
/// the first sources that fit against every service; see [`Matrix::is_complete`].
pub const MAX_CELLS: usize = 1 << 23;

/// Verdicts for every source against every service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Matrix {
    pub sources: Vec<Src>,
    pub services: Vec<ServiceEnd>,
    /// Row-major: `cells[row * services.len() + column]`; `None` where Spacetrace does not model
    /// the pair (neither end on Heroku).
    pub cells: Vec<Option<Outcome>>,
}

/// The sources and services of a matrix, the sources cut to what fits in [`MAX_CELLS`].
fn ends(model: &Model) -> (Vec<Src>, Vec<ServiceEnd>) {
    let mut sources = sources(model);
    let services = services(model);
    sources.truncate(MAX_CELLS / services.len().max(1));
    (sources, services)
}

impl Matrix {
    /// Evaluate every pair (up to [`MAX_CELLS`]). Pairs that no rule in the model can tell apart
    /// are evaluated once (see the `classes` module); every cell equals [`Matrix::plain`]'s.
    pub fn new(model: &Model) -> Self {
        let (sources, services) = ends(model);
        let mut cells = Vec::with_capacity(sources.len() * services.len());
        crate::classes::fill(model, &sources, &services, &mut cells);
        Self { sources, services, cells }
    }

    /// The reference: every pair evaluated on its own. Same result as [`Matrix::new`], slower;
    /// kept for tests and benchmarks.
    #[doc(hidden)]
    pub fn plain(model: &Model) -> Self {
        let (sources, services) = ends(model);
        let mut cells = Vec::with_capacity(sources.len() * services.len());
        for src in &sources {
            for svc in &services {
                cells.push(crate::classes::plain_cell(model, *src, svc));
            }
        }
        Self { sources, services, cells }
    }

    /// Whether the matrix has every source of the model (false when [`MAX_CELLS`] cut it short).
    pub fn is_complete(&self, model: &Model) -> bool {
        let processes: usize = model.apps.iter().map(|a| a.processes.len()).sum();
        self.sources.len() >= processes + model.hosts.len() + model.remote_hosts.len() + model.clients.len()
    }

    pub fn cell(&self, row: usize, column: usize) -> Option<Outcome> {
        self.cells.get(row * self.services.len() + column).copied().flatten()
    }

    pub fn query(&self, row: usize, column: usize) -> Option<Query> {
        let src = *self.sources.get(row)?;
        let svc = *self.services.get(column)?;
        Query::new(src, svc.dst, svc.protocol, svc.port).ok()
    }

    /// The full trace behind one cell.
    pub fn trace(&self, model: &Model, row: usize, column: usize) -> Option<Trace> {
        self.query(row, column).map(|q| evaluate(model, &q))
    }

    /// How many cells are connected, blocked, and not modelled.
    pub fn counts(&self) -> (usize, usize, usize) {
        let connected =
            self.cells.iter().filter(|c| matches!(c, Some(o) if o.verdict == crate::doc::Verdict::Connected)).count();
        let none = self.cells.iter().filter(|c| c.is_none()).count();
        (connected, self.cells.len() - connected - none, none)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::check_text;

    #[test]
    fn matrix_agrees_with_full_traces() {
        let checked = check_text(include_str!("../../../scenarios/default.json"));
        let m = Matrix::new(&checked.model);
        assert!(!m.sources.is_empty() && !m.services.is_empty());
        for row in 0..m.sources.len() {
            for column in 0..m.services.len() {
                match (m.cell(row, column), m.trace(&checked.model, row, column)) {
                    (Some(o), Some(t)) => {
                        assert_eq!(o.verdict, t.verdict);
                        assert_eq!(o.blocked_by, t.blocking_step().map(|s| s.rule));
                    }
                    (None, None) => {}
                    other => panic!("cell and trace disagree at {row},{column}: {other:?}"),
                }
            }
        }
        let (connected, blocked, _) = m.counts();
        assert!(connected > 0 && blocked > 0);
    }
}
