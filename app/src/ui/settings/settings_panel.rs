//! The top bar's Settings button and its panel: "Your data", with Export (a download) and
//! Import (a file picker taking `.json` and `.csv`) and the import's result in words; after
//! an import the lists and todos are loaded again; then, built only while the panel is open,
//! notifications for this browser (`reminders::notification_settings`), access tokens and
//! the activity log (`access_settings.rs`).

use leptos::{html, prelude::*, task::spawn_local};

use super::{access_settings::AccessSettings, data_transfer};
use crate::ui::{
    auth::session::Auth, files::uploads::files_of, lists::state::ListsState,
    reminders::notification_settings::NotificationSettings, todos::state::TodoState,
};

#[component]
pub fn SettingsPanel() -> impl IntoView {
    let auth = expect_context::<Auth>();
    let todos = expect_context::<TodoState>();
    let lists = expect_context::<ListsState>();
    let open = RwSignal::new(false);
    let busy = RwSignal::new(false);
    // What the last export or import said, line by line.
    let said = RwSignal::new(Vec::<String>::new());
    let failed = RwSignal::new(None::<String>);
    let input = NodeRef::<html::Input>::new();

    let export = move |_| {
        busy.set(true);
        failed.set(None);
        spawn_local(async move {
            match data_transfer::download_export(auth).await {
                Ok(()) => said.set(vec!["Your export is downloading.".into()]),
                Err(e) => failed.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let chosen = move |_| {
        let Some(el) = input.get_untracked() else {
            return;
        };
        let file = files_of(el.files()).into_iter().next();
        el.set_value("");
        let Some(file) = file else {
            return;
        };
        busy.set(true);
        failed.set(None);
        said.set(vec![format!("Importing “{}”…", file.name())]);
        spawn_local(async move {
            match data_transfer::import(auth, file).await {
                Ok(imported) => {
                    said.set(imported.summary());
                    todos.reload();
                    lists.reload();
                }
                Err(e) => {
                    said.set(Vec::new());
                    failed.set(Some(e));
                }
            }
            busy.set(false);
        });
    };

    view! {
        <div class="settings">
            <button
                type="button"
                aria-expanded=move || open.get().to_string()
                aria-controls="settings-panel"
                on:click=move |_| open.update(|o| *o = !*o)
            >
                "Settings"
            </button>
            <section
                id="settings-panel"
                class="settings-panel"
                aria-label="Settings"
                hidden=move || !open.get()
            >
                <h2>"Your data"</h2>
                <p class="hint">
                    "Export saves everything as one file. Import takes such a file, or a Todoist CSV export (into a new list)."
                </p>
                <div class="settings-actions">
                    <button type="button" on:click=export disabled=move || busy.get()>
                        "Export"
                    </button>
                    <input
                        type="file"
                        accept=".json,.csv,application/json,text/csv"
                        class="visually-hidden"
                        tabindex="-1"
                        aria-hidden="true"
                        node_ref=input
                        on:change=chosen
                    />
                    <button
                        type="button"
                        disabled=move || busy.get()
                        on:click=move |_| {
                            if let Some(el) = input.get_untracked() {
                                el.click();
                            }
                        }
                    >
                        "Import"
                    </button>
                </div>
                <div class="settings-result" role="status" aria-busy=move || busy.get().to_string()>
                    {move || {
                        said.get().into_iter().map(|line| view! { <p>{line}</p> }).collect_view()
                    }}
                </div>
                {move || {
                    failed
                        .get()
                        .map(|e| {
                            view! {
                                <p class="error" role="alert">
                                    {e}
                                </p>
                            }
                        })
                }}
                {move || {
                    open.get()
                        .then(|| {
                            view! {
                                <NotificationSettings />
                                <AccessSettings />
                            }
                        })
                }}
            </section>
        </div>
    }
}
