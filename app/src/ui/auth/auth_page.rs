//! The sign-in / sign-up page. Errors from the identity provider are shown as it words them
//! (Cognito's messages are meant for end users), except where a friendlier one exists.

use leptos::{ev::SubmitEvent, prelude::*, task::spawn_local};

use super::{cognito::CognitoFailure, session::Auth};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    SignIn,
    SignUp,
}

fn explain(failure: CognitoFailure) -> String {
    match failure.kind.as_str() {
        "UsernameExistsException" => {
            "An account with this email already exists. Sign in instead.".into()
        }
        "InvalidParameterException" if failure.message.contains("email") => {
            "Enter a valid email address.".into()
        }
        _ => failure.message,
    }
}

#[component]
pub fn AuthPage() -> impl IntoView {
    let auth = expect_context::<Auth>();
    let mode = RwSignal::new(Mode::SignIn);
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let (address, secret) = (email.get_untracked(), password.get_untracked());
        if address.trim().is_empty() || secret.is_empty() {
            error.set(Some("Enter your email and password.".into()));
            return;
        }
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let result = match mode.get_untracked() {
                Mode::SignIn => auth.sign_in(&address, &secret).await,
                Mode::SignUp => auth.sign_up(&address, &secret).await,
            };
            // On success this page is gone; its signals may already be disposed.
            busy.try_set(false);
            if let Err(failure) = result {
                error.try_set(Some(explain(failure)));
            }
        });
    };

    let switch = move |_| {
        mode.update(|m| {
            *m = if *m == Mode::SignIn {
                Mode::SignUp
            } else {
                Mode::SignIn
            }
        });
        error.set(None);
        auth.notice.set(None);
    };
    let signing_in = move || mode.get() == Mode::SignIn;

    view! {
        <main class="auth">
            <h1 class="brand">"Tasko"</h1>
            <form class="auth-card" on:submit=submit novalidate>
                <h2>{move || if signing_in() { "Sign in" } else { "Create your account" }}</h2>
                {move || {
                    auth.notice
                        .get()
                        .map(|n| {
                            view! {
                                <p class="notice" role="status">
                                    {n}
                                </p>
                            }
                        })
                }}
                <label for="email">"Email"</label>
                <input
                    id="email"
                    name="email"
                    type="email"
                    autocomplete="username"
                    bind:value=email
                />
                <label for="password">"Password"</label>
                <input
                    id="password"
                    name="password"
                    type="password"
                    autocomplete=move || {
                        if signing_in() { "current-password" } else { "new-password" }
                    }
                    bind:value=password
                />
                <Show when=move || !signing_in()>
                    <p class="hint">
                        "At least 8 characters, with upper- and lower-case letters, a digit and a symbol."
                    </p>
                </Show>
                {move || {
                    error
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
                    {move || match (signing_in(), busy.get()) {
                        (true, false) => "Sign in",
                        (true, true) => "Signing in…",
                        (false, false) => "Sign up",
                        (false, true) => "Creating account…",
                    }}
                </button>
                <p class="switch">
                    {move || {
                        if signing_in() { "New to Tasko? " } else { "Already have an account? " }
                    }} <button type="button" class="link" on:click=switch>
                        {move || if signing_in() { "Create an account" } else { "Sign in" }}
                    </button>
                </p>
            </form>
        </main>
    }
}
