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

    /// How many sources the model has: the rows of a complete matrix (a cut one holds fewer; see
    /// [`Matrix::is_complete`]). Counts them without listing them.
    pub fn source_count(model: &Model) -> usize {
        let processes: usize = model.apps.iter().map(|a| a.processes.len()).sum();
        processes + model.hosts.len() + model.remote_hosts.len() + model.clients.len()
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

/// Line ending of CSV records (RFC 4180).
const CRLF: &str = "\r\n";

/// The matrix as CSV (RFC 4180), as the CLI's `matrix --csv` prints it and the app exports it: a
/// header record `source` then one field per service (`REF PROTOCOL/PORT`, as
/// [`refs::service_ref`](crate::refs::service_ref) writes it), then one record per source: its
/// reference, then `connected`, `blocked:RULE-ID` (`blocked` if no rule is known) or an empty field
/// for a pair that is not modelled. Records end with CRLF; fields are quoted only when needed
/// (a comma, a double quote or a line break; inner quotes doubled). Only the rows the matrix holds
/// are written (see [`Matrix::is_complete`]).
pub fn to_csv(model: &Model, m: &Matrix) -> String {
    use crate::doc::Verdict;
    use crate::{refs, render};
    let mut out = String::new();
    let header = std::iter::once("source".to_owned()).chain(m.services.iter().map(|s| refs::service_ref(model, s)));
    csv_record(&mut out, header);
    for (r, src) in m.sources.iter().enumerate() {
        let cells = (0..m.services.len()).map(|c| match m.cell(r, c) {
            None => String::new(),
            Some(o) if o.verdict == Verdict::Connected => render::verdict(o.verdict).to_owned(),
            Some(o) => match o.blocked_by {
                Some(rule) => format!("{}:{rule}", render::verdict(o.verdict)),
                None => render::verdict(o.verdict).to_owned(),
            },
        });
        csv_record(&mut out, std::iter::once(refs::src_ref(model, *src)).chain(cells));
    }
    out
}

fn csv_record(out: &mut String, fields: impl Iterator<Item = String>) {
    for (i, field) in fields.enumerate() {
        if i > 0 {
            out.push(',');
        }
        csv_field(out, &field);
    }
    out.push_str(CRLF);
}

/// Append a field, in double quotes (inner quotes doubled) when it holds a comma, a quote or a
/// line break.
fn csv_field(out: &mut String, field: &str) {
    if field.contains([',', '"', '\r', '\n']) {
        out.push('"');
        out.push_str(&field.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(field);
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

    fn field(s: &str) -> String {
        let mut out = String::new();
        csv_field(&mut out, s);
        out
    }

    #[test]
    fn csv_fields_are_quoted_only_when_needed() {
        assert_eq!(field("api/web"), "api/web");
        assert_eq!(field(""), "");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("two\nlines"), "\"two\nlines\"");
        assert_eq!(field("cr\rhere"), "\"cr\rhere\"");
    }

    #[test]
    fn csv_has_a_header_of_services_and_a_record_per_source() {
        let checked = check_text(include_str!("../../../scenarios/default.json"));
        let model = &checked.model;
        let m = Matrix::new(model);
        let text = to_csv(model, &m);
        assert!(text.ends_with("\r\n"));
        assert!(!text.replace("\r\n", "").contains(['\r', '\n']), "no bare line breaks");
        let records: Vec<Vec<&str>> =
            text.strip_suffix("\r\n").unwrap().split("\r\n").map(|r| r.split(',').collect()).collect();
        assert_eq!(records.len(), m.sources.len() + 1);
        let header = &records[0];
        assert_eq!(header[0], "source");
        assert_eq!(header.len(), m.services.len() + 1);
        assert!(header.contains(&"host:warehouse tcp/5432"), "{header:?}");
        for (r, record) in records[1..].iter().enumerate() {
            assert_eq!(record.len(), header.len());
            assert_eq!(record[0], crate::refs::src_ref(model, m.sources[r]));
            for c in 0..m.services.len() {
                let expected = match m.cell(r, c) {
                    None => String::new(),
                    Some(o) if o.verdict == crate::doc::Verdict::Connected => "connected".to_owned(),
                    Some(o) => format!("blocked:{}", o.blocked_by.unwrap()),
                };
                assert_eq!(record[c + 1], expected, "{} {}", record[0], header[c + 1]);
            }
        }
        let worker = records.iter().position(|r| r[0] == "api/worker").unwrap();
        let warehouse = header.iter().position(|h| *h == "host:warehouse tcp/5432").unwrap();
        assert_eq!(records[worker][warehouse], "blocked:PEER-ROUTE");
        assert!(records.iter().flatten().any(|f| f.is_empty()) || m.counts().2 == 0);
    }

    #[test]
    fn the_source_count_is_the_number_of_sources() {
        for text in [include_str!("../../../scenarios/default.json"), "{}"] {
            let model = check_text(text).model;
            assert_eq!(Matrix::source_count(&model), sources(&model).len());
        }
        let model = check_text(include_str!("../../../scenarios/default.json")).model;
        assert!(Matrix::source_count(&model) > 1);
    }

    #[test]
    fn csv_of_an_empty_model_is_a_header_alone() {
        let checked = check_text("{}");
        let m = Matrix::new(&checked.model);
        assert_eq!(to_csv(&checked.model, &m), "source\r\n");
    }
}
