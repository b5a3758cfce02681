//! Access tokens, connected apps and the activity log in the Settings panel: three tabs,
//! rendered (and so loaded) only while the panel is open.

use leptos::prelude::*;

use super::{
    activity_panel::ActivityPanel, connected_apps::ConnectedApps, tokens_panel::TokensPanel,
};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tab {
    Tokens,
    Apps,
    Activity,
}

#[component]
pub fn AccessSettings() -> impl IntoView {
    let tab = RwSignal::new(Tab::Tokens);
    let tab_button = move |which: Tab, label: &'static str| {
        view! {
            <button
                type="button"
                role="tab"
                aria-selected=move || (tab.get() == which).to_string()
                on:click=move |_| tab.set(which)
            >
                {label}
            </button>
        }
    };
    view! {
        <div role="tablist" class="settings-tabs">
            {tab_button(Tab::Tokens, "Access tokens")}
            {tab_button(Tab::Apps, "Connected apps")}
            {tab_button(Tab::Activity, "Activity")}
        </div>
        {move || match tab.get() {
            Tab::Tokens => view! { <TokensPanel /> }.into_any(),
            Tab::Apps => view! { <ConnectedApps /> }.into_any(),
            Tab::Activity => view! { <ActivityPanel /> }.into_any(),
        }}
    }
}
