//! `apps:info`: the app's name, its space (or the Common Runtime), Internal Routing, its dynos
//! by process type and its data add-ons.

use serde_json::Value;
use spacetrace_engine::doc::AddonKind;

use super::origin;
use crate::MAX_NESTED;
use crate::draft::{AddonDraft, AppDraft, Drafts, ProcessDraft};
use crate::json::{At, Ctx};
use crate::values;
use crate::warnings::{Thing, What};

const TOP_FIELDS: &[&str] =
    &["app", "dynos", "addons", "collaborators", "pipeline_coupling", "pipeline", "domains", "sni_endpoints"];

pub(super) fn info(root: &At<'_>, ctx: &mut Ctx<'_>, drafts: &mut Drafts) {
    ctx.unknown_fields(root, TOP_FIELDS);
    let Some(app) = ctx.object(root, "app") else { return };
    // The app object has many fields about builds, stacks, owners and dates; those that bear on
    // connectivity are read here, the rest is bookkeeping.
    let Some(name) = ctx.required(&app, "name") else { return };
    let name = values::name(&name);
    let space = match app.v.get("space") {
        None | Some(Value::Null) => None,
        Some(Value::Object(o)) => o.get("name").and_then(Value::as_str).map(str::to_owned),
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => {
            ctx.str(&app, "space");
            None
        }
    };
    if ctx.bool(&app, "maintenance") == Some(true) {
        ctx.warn(app.path_to("maintenance"), What::AppMaintenance { app: name.clone() });
    }
    let mut processes: Vec<ProcessDraft> = Vec::new();
    for d in ctx.list(root, "dynos", MAX_NESTED) {
        if !ctx.is_object(&d) {
            continue;
        }
        let kind = ctx
            .string(&d, "type")
            .or_else(|| ctx.string(&d, "name").map(|n| n.split('.').next().unwrap_or_default().to_owned()));
        let Some(kind) = kind.filter(|k| !k.is_empty()) else {
            ctx.warn(d.path_to("type"), What::MissingField { field: "type".into() });
            continue;
        };
        match processes.iter_mut().find(|p| p.name == kind) {
            Some(p) => p.dynos = p.dynos.saturating_add(1),
            None => processes.push(ProcessDraft { name: kind, dynos: 1, addresses: Vec::new() }),
        }
    }
    let mut addons = Vec::new();
    for a in ctx.list(root, "addons", MAX_NESTED) {
        if !ctx.is_object(&a) {
            continue;
        }
        let service = name_field(&a.v["addon_service"]).unwrap_or_default();
        let plan = name_field(&a.v["plan"]).unwrap_or_default();
        let addon_name = ctx.string(&a, "name").unwrap_or_else(|| service.clone());
        let kind = match service.as_str() {
            "heroku-postgresql" => Some(AddonKind::Postgres),
            "heroku-kafka" => Some(AddonKind::Kafka),
            "heroku-redis" => Some(AddonKind::Redis),
            _ => None,
        };
        // A data store is in the space when its plan is a private or shield one.
        let private = plan.contains("private") || plan.contains("shield");
        match kind {
            Some(kind) if private && space.is_some() => {
                addons.push(AddonDraft { origin: origin(ctx, &a), name: values::name(&addon_name), kind })
            }
            _ => ctx.warn_at(
                &a,
                What::NotModelled {
                    thing: Thing::Addon { service: if plan.is_empty() { service } else { plan } },
                    id: addon_name,
                },
            ),
        }
    }
    drafts.apps.push(AppDraft {
        origin: origin(ctx, &app),
        id: ctx.string(&app, "id"),
        name,
        space,
        internal_routing: ctx.bool(&app, "internal_routing").unwrap_or(false),
        processes,
        addons,
    });
}

/// A field written as text or as an object with a `name`.
fn name_field(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_owned()),
        Value::Object(o) => o.get("name").and_then(Value::as_str).map(|s| s.trim().to_owned()),
        _ => None,
    }
}
