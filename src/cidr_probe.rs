//! A small tool that explains a CIDR block: the first slice through every layer of Spacetrace.

use leptos::prelude::*;
use spacetrace_engine::{Severity, describe_cidr, render};

/// An input field for a CIDR block and what the engine says about it, updated as you type.
#[component]
pub fn CidrProbe(
    /// The text the field starts with.
    #[prop(into, optional)]
    initial: String,
) -> impl IntoView {
    let (text, set_text) = signal(initial);
    let answer = Memo::new(move |_| describe_cidr(&text.get()));
    let invalid = move || answer.with(|a| a.is_err());

    view! {
        <section class="tool-card cidr-probe" data-testid="cidr-probe" aria-labelledby="cidr-probe-title">
            <h2 id="cidr-probe-title">"Address block"</h2>
            <p class="hint">
                "Type a CIDR block to see its network, range and size, and whether it is private (RFC 1918). "
                "A VPC peered with a Private Space must use a private block that does not overlap the space."
            </p>
            <label for="cidr-input">"CIDR block"</label>
            <input
                id="cidr-input"
                data-testid="cidr-input"
                type="text"
                inputmode="text"
                spellcheck="false"
                autocomplete="off"
                placeholder="10.0.0.0/16"
                aria-describedby="cidr-output"
                aria-invalid=move || invalid().to_string()
                class:invalid=invalid
                prop:value=move || text.get()
                on:input=move |ev| set_text.set(event_target_value(&ev))
            />
            <div id="cidr-output" class="cidr-output" aria-live="polite">
                {move || match answer.get() {
                    Ok(info) => {
                        let rows = render::cidr_rows(&info)
                            .into_iter()
                            .map(|(label, value)| view! { <dt>{label}</dt> <dd>{value}</dd> })
                            .collect_view();
                        let warnings = info
                            .warnings
                            .iter()
                            .filter(|w| w.severity == Severity::Warning)
                            .map(|w| view! { <p class="warning" data-testid="cidr-warning">"\u{26A0} " {render::diagnostic(w)}</p> })
                            .collect_view();
                        let badge = if info.is_rfc1918() {
                            view! { <span class="badge private" data-testid="cidr-badge">"\u{2713} private"</span> }
                        } else {
                            view! { <span class="badge public" data-testid="cidr-badge">"\u{25CF} public"</span> }
                        };
                        view! {
                            {badge}
                            <dl class="facts" data-testid="cidr-result">{rows}</dl>
                            {warnings}
                        }
                            .into_any()
                    }
                    Err(d) => view! {
                        <p class="error" role="alert" data-testid="cidr-error">"\u{2716} " {render::diagnostic(&d)}</p>
                    }
                        .into_any(),
                }}
            </div>
        </section>
    }
}
