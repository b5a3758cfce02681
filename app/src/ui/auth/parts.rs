//! The pieces every sign-in form is built from: the card with its heading and notice, the
//! fields (bound to the [`Flow`]'s signals, so the email typed on one screen is on the next),
//! the error line, the submit button that says what is happening, and the links between
//! screens.

use leptos::{ev::SubmitEvent, prelude::*};

use super::flow::{Flow, Mode};

/// The form: its heading, the notice saying why the user is here, then `children`.
/// Submitting runs `on_submit` (the browser's own validation is off: we say what is missing).
#[component]
pub fn AuthCard(
    heading: &'static str,
    on_submit: UnsyncCallback<()>,
    children: Children,
) -> impl IntoView {
    let flow = expect_context::<Flow>();
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        on_submit.run(());
    };
    view! {
        <form class="auth-card" on:submit=submit novalidate>
            <h2>{heading}</h2>
            {move || {
                flow.auth
                    .notice
                    .get()
                    .map(|n| {
                        view! {
                            <p class="notice" role="status">
                                {n}
                            </p>
                        }
                    })
            }}
            {children()}
        </form>
    }
}

/// The email; read-only where a code sent to it is entered.
#[component]
pub fn EmailInput(#[prop(optional)] readonly: bool) -> impl IntoView {
    let flow = expect_context::<Flow>();
    view! {
        <label for="email">"Email"</label>
        <input
            id="email"
            name="email"
            type="email"
            autocomplete="username"
            readonly=readonly
            bind:value=flow.email
        />
    }
}

#[component]
pub fn CodeInput() -> impl IntoView {
    let flow = expect_context::<Flow>();
    view! {
        <label for="code">"Code from the email"</label>
        <input
            id="code"
            name="code"
            inputmode="numeric"
            autocomplete="one-time-code"
            maxlength="12"
            bind:value=flow.code
        />
    }
}

/// The password: the current one (sign in), or a new one with the pool's rules beside it.
#[component]
pub fn PasswordInput(label: &'static str, new: bool) -> impl IntoView {
    let flow = expect_context::<Flow>();
    view! {
        <label for="password">{label}</label>
        <input
            id="password"
            name="password"
            type="password"
            autocomplete=if new { "new-password" } else { "current-password" }
            bind:value=flow.password
        />
        {new
            .then(|| {
                view! {
                    <p class="hint">
                        "At least 8 characters, with upper- and lower-case letters, a digit and a symbol."
                    </p>
                }
            })}
    }
}

/// The submit button, disabled and saying so while `busy`; the error line above it.
#[component]
pub fn SubmitButton(
    idle: &'static str,
    working: &'static str,
    #[prop(into)] busy: Signal<bool>,
) -> impl IntoView {
    let flow = expect_context::<Flow>();
    view! {
        {move || {
            flow.error
                .get()
                .map(|e| {
                    view! {
                        <p class="error" role="alert">
                            {e}
                        </p>
                    }
                })
        }}
        <button type="submit" class="primary" disabled=move || busy.get()>
            {move || if busy.get() { working } else { idle }}
        </button>
    }
}

/// A link to another screen, after a few words (`lead`) saying why.
#[component]
pub fn SwitchLink(lead: &'static str, label: &'static str, to: Mode) -> impl IntoView {
    let flow = expect_context::<Flow>();
    view! {
        <p class="switch">
            {lead} <button type="button" class="link" on:click=move |_| flow.go(to, None)>
                {label}
            </button>
        </p>
    }
}
