//! The page shell: top bar and work area.

use leptos::prelude::*;

use crate::cidr_probe::CidrProbe;

/// The CIDR shown on first load: the default Private Space CIDR (rule PS-CIDRS).
pub const DEFAULT_CIDR: &str = "10.0.0.0/16";

#[component]
pub fn App() -> impl IntoView {
    view! {
        <header class="topbar" data-testid="topbar">
            <div class="brand">
                <span class="logo" aria-hidden="true">"\u{25C8}"</span>
                <h1>"Spacetrace"</h1>
            </div>
            <p class="tagline">"See how connections travel across Heroku-style networks, and why they succeed or fail."</p>
        </header>
        <main class="workarea">
            <CidrProbe initial=DEFAULT_CIDR />
        </main>
    }
}
