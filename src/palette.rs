//! The palette: every kind of object, grouped by network. New regions land where the canvas's
//! layout puts them (the end of their layer); new
//! apps, add-ons and hosts go into the selected space, VPC or remote network.

use leptos::prelude::*;
use spacetrace_engine::doc::{AddonKind, Generation};

use crate::edit::{Edit, NewObject};
use crate::inspector::target_space;
use crate::store::{Notice, Store, use_store};
use spacetrace_edit::{remote_of, vpc_of};

/// Add, then select what was added (the one ID that is new).
fn add_and_select(store: &Store, new: NewObject) {
    let before = store.doc.with_untracked(crate::edit::all_ids);
    if store.apply(Edit::Add(new)) {
        // Fit the view again, so the new object is on screen.
        store.viewport.set(None);
        let after = store.doc.with_untracked(crate::edit::all_ids);
        if let Some(id) = after.into_iter().find(|id| !before.contains(id)) {
            store.select_only(&id);
        }
    }
}

#[component]
pub fn Palette() -> impl IntoView {
    let store = use_store();
    let space = move |generation: Generation, shield: bool| {
        move |_| add_and_select(&store, NewObject::Space { generation, shield, at: None })
    };
    let app = move |internal_routing: bool| {
        move |_| {
            let space = target_space(&store);
            if internal_routing && space.is_none() {
                store.notice.set(Some(Notice::Info(
                    "Select a Cedar space first: Internal Routing exists only for apps in Cedar spaces.".into(),
                )));
                return;
            }
            add_and_select(&store, NewObject::App { space, internal_routing })
        }
    };
    let addon = move |kind: AddonKind| {
        move |_| match target_space(&store) {
            Some(space) => add_and_select(&store, NewObject::Addon { space, kind }),
            None => store
                .notice
                .set(Some(Notice::Info("Select a space first: data add-ons live in a Private Space.".into()))),
        }
    };
    let host = move |_| {
        let vpc = store.selection.get_untracked().iter().find_map(|id| store.doc.with_untracked(|d| vpc_of(d, id)));
        let vpc = vpc.or_else(|| store.doc.with_untracked(|d| (d.vpcs.len() == 1).then(|| d.vpcs[0].id.clone())));
        match vpc {
            Some(vpc) => add_and_select(&store, NewObject::Host { vpc }),
            None => store.notice.set(Some(Notice::Info("Select a VPC first: hosts live in a VPC subnet.".into()))),
        }
    };
    let remote_host = move |_| {
        let remote =
            store.selection.get_untracked().iter().find_map(|id| store.doc.with_untracked(|d| remote_of(d, id)));
        let remote = remote.or_else(|| {
            store.doc.with_untracked(|d| (d.remote_networks.len() == 1).then(|| d.remote_networks[0].id.clone()))
        });
        match remote {
            Some(remote) => add_and_select(&store, NewObject::RemoteHost { remote }),
            None => store.notice.set(Some(Notice::Info("Select a remote network first.".into()))),
        }
    };
    view! {
        <nav class="palette" aria-label="Add to the network" data-testid="palette">
            <h2>"Add"</h2>
            <div class="group heroku">
                <h3>"Heroku"</h3>
                <button type="button" data-testid="add-cedar-space" on:click=space(Generation::Cedar, false)><span class="swatch cedar"></span>"Cedar space"</button>
                <button type="button" data-testid="add-shield-space" on:click=space(Generation::Cedar, true)><span class="swatch cedar"></span>"Shield space"</button>
                <button type="button" data-testid="add-fir-space" on:click=space(Generation::Fir, false)><span class="swatch fir"></span>"Fir space"</button>
                <button type="button" data-testid="add-app" title="Into the selected space, or the Common Runtime" on:click=app(false)><span class="swatch cr"></span>"App"</button>
                <button type="button" data-testid="add-internal-app" title="Internal Routing, in the selected Cedar space" on:click=app(true)><span class="swatch cedar"></span>"Internal app"</button>
                <button type="button" data-testid="add-postgres" on:click=addon(AddonKind::Postgres)><span class="swatch addon"></span>"Postgres"</button>
                <button type="button" data-testid="add-redis" on:click=addon(AddonKind::Redis)><span class="swatch addon"></span>"Key-Value Store"</button>
                <button type="button" data-testid="add-kafka" on:click=addon(AddonKind::Kafka)><span class="swatch addon"></span>"Kafka"</button>
            </div>
            <div class="group aws">
                <h3>"AWS"</h3>
                <button type="button" data-testid="add-vpc" on:click=move |_| add_and_select(&store, NewObject::Vpc { at: None })><span class="swatch vpc"></span>"VPC"</button>
                <button type="button" data-testid="add-host" on:click=host><span class="swatch vpc"></span>"Host"</button>
            </div>
            <div class="group remote">
                <h3>"On-premises"</h3>
                <button type="button" data-testid="add-remote" on:click=move |_| add_and_select(&store, NewObject::Remote { at: None })><span class="swatch remote"></span>"Remote network"</button>
                <button type="button" data-testid="add-remote-host" on:click=remote_host><span class="swatch remote"></span>"Remote host"</button>
            </div>
            <div class="group internet">
                <h3>"Internet"</h3>
                <button type="button" data-testid="add-client" on:click=move |_| add_and_select(&store, NewObject::Client)><span class="swatch internet"></span>"Client"</button>
                <button type="button" data-testid="add-service" on:click=move |_| add_and_select(&store, NewObject::Service)><span class="swatch internet"></span>"External service"</button>
            </div>
        </nav>
    }
}
