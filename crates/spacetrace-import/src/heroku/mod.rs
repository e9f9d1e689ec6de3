//! Heroku CLI outputs (`--json`): `spaces:info`, `spaces:peerings`, `spaces:peerings:info`,
//! `spaces:vpn:info` and `spaces:vpn:connections`, `spaces:topology`, `spaces:trusted-ips`,
//! `apps:info`. Only `spaces:info` and `apps:info` name their space; what the others say is kept
//! as a [`Fact`] with hints (CIDR blocks, dyno addresses) that [`crate::merge`] uses to tie it to
//! one.

mod app;
mod peering;
mod space;
mod topology;
mod vpn;

use crate::detect::HerokuOutput;
use crate::draft::{Drafts, Fact, FactDraft, Origin, SpaceHints};
use crate::json::{At, Ctx};

pub(crate) fn read(output: HerokuOutput, root: &At<'_>, ctx: &mut Ctx<'_>, drafts: &mut Drafts) {
    match output {
        HerokuOutput::SpaceInfo => space::info(root, ctx, drafts),
        HerokuOutput::Peerings => peering::list(root, ctx, drafts),
        HerokuOutput::PeeringInfo => peering::info(root, ctx, drafts),
        HerokuOutput::VpnInfo => vpn::one(root, ctx, drafts),
        HerokuOutput::VpnConnections => vpn::list(root, ctx, drafts),
        HerokuOutput::Topology => topology::read(root, ctx, drafts),
        HerokuOutput::TrustedIps => space::trusted_ips(root, ctx, drafts),
        HerokuOutput::AppInfo => app::info(root, ctx, drafts),
    }
}

/// Keep a fact read from a file that names no space.
fn fact(ctx: &Ctx<'_>, drafts: &mut Drafts, hints: SpaceHints, fact: Fact) {
    drafts.facts.push(FactDraft { origin: Origin { file: ctx.file.to_owned(), path: String::new() }, hints, fact });
}

/// A field that is text or an object with a `name` (Heroku writes regions and generations both
/// ways, depending on the command and its version).
fn text_or_name(ctx: &mut Ctx<'_>, at: &At<'_>, key: &str) -> Option<String> {
    match at.v.get(key) {
        Some(serde_json::Value::Object(o)) => {
            o.get("name").and_then(|n| n.as_str()).map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned)
        }
        _ => ctx.string(at, key),
    }
}

fn origin(ctx: &Ctx<'_>, at: &At<'_>) -> Origin {
    Origin { file: ctx.file.to_owned(), path: at.path() }
}
