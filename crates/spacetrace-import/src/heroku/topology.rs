//! `spaces:topology`: the space's apps, their process types and each dyno's private address.

use super::{fact, origin};
use crate::draft::{Drafts, Fact, ProcessDraft, SpaceHints, TopologyAppDraft};
use crate::json::{At, Ctx};
use crate::values;
use crate::warnings::{Effect, What};
use crate::{MAX_NESTED, MAX_OBJECTS};

pub(super) fn read(root: &At<'_>, ctx: &mut Ctx<'_>, drafts: &mut Drafts) {
    ctx.unknown_fields(root, &["version", "apps"]);
    let mut hints = SpaceHints::default();
    let mut apps = Vec::new();
    for at in ctx.list(root, "apps", MAX_OBJECTS) {
        if !ctx.is_object(&at) {
            continue;
        }
        ctx.unknown_fields(&at, &["id", "domains", "formations", "formation"]);
        let Some(id) = ctx.required(&at, "id") else { continue };
        let name_from_domain = ctx.strings(&at, "domains", MAX_NESTED).iter().find_map(|d| app_name_of(d));
        let key = if at.v.get("formations").is_some() { "formations" } else { "formation" };
        let mut processes: Vec<ProcessDraft> = Vec::new();
        for f in ctx.list(&at, key, MAX_NESTED) {
            if !ctx.is_object(&f) {
                continue;
            }
            ctx.unknown_fields(&f, &["process_type", "dynos"]);
            let Some(name) = ctx.required(&f, "process_type") else { continue };
            let dynos = ctx.list(&f, "dynos", MAX_NESTED);
            let mut addresses = Vec::new();
            for d in &dynos {
                if !ctx.is_object(d) {
                    continue;
                }
                ctx.unknown_fields(d, &["number", "private_ip", "hostname"]);
                if let Some(ip) = ctx.string(d, "private_ip") {
                    match values::address4(&ip) {
                        Some(a) => {
                            hints.addresses.push(a);
                            addresses.push(a.to_string());
                        }
                        None => ctx
                            .warn(d.path_to("private_ip"), What::BadValue { value: ip, effect: Effect::FieldIgnored }),
                    }
                }
            }
            let count = u32::try_from(dynos.len()).unwrap_or(u32::MAX);
            match processes.iter_mut().find(|p| p.name == name) {
                Some(p) => {
                    p.dynos = p.dynos.saturating_add(count);
                    p.addresses.extend(addresses);
                }
                None => processes.push(ProcessDraft { name, dynos: count, addresses }),
            }
        }
        apps.push(TopologyAppDraft { origin: origin(ctx, &at), id, name_from_domain, processes });
    }
    fact(ctx, drafts, hints, Fact::Topology(apps));
}

/// The app name in a default domain: `acme-api.herokuapp.com` or, for newer apps,
/// `acme-api-1a2b3c4d5e6f.herokuapp.com`.
pub(crate) fn app_name_of(domain: &str) -> Option<String> {
    let name = domain.trim().strip_suffix(".herokuapp.com")?;
    let name = match name.rsplit_once('-') {
        Some((base, hash)) if hash.len() == 12 && hash.bytes().all(|b| b.is_ascii_hexdigit()) => base,
        _ => name,
    };
    (!name.is_empty() && !name.contains('.')).then(|| name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::app_name_of;

    #[test]
    fn names_from_domains() {
        assert_eq!(app_name_of("acme-api.herokuapp.com").as_deref(), Some("acme-api"));
        assert_eq!(app_name_of("acme-api-1a2b3c4d5e6f.herokuapp.com").as_deref(), Some("acme-api"));
        assert_eq!(app_name_of("www.acme.com"), None);
    }
}
