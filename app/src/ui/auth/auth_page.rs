//! The sign-in page and the flows around it: sign up, confirm the emailed code (a real user
//! pool does not auto-confirm), forgot password. Errors from the identity provider are shown
//! as it words them (Cognito's messages are meant for end users), except where a friendlier
//! one exists.

use leptos::{ev::SubmitEvent, prelude::*, task::spawn_local};

use super::{
    cognito::CognitoFailure,
    session::{Auth, SignUp},
};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    SignIn,
    SignUp,
    /// Enter the code that confirms the email (after sign-up, or signing in unconfirmed).
    Confirm,
    /// Ask for a password-reset code.
    Forgot,
    /// Enter the reset code and the new password.
    Reset,
}

impl Mode {
    fn heading(self) -> &'static str {
        match self {
            Mode::SignIn => "Sign in",
            Mode::SignUp => "Create your account",
            Mode::Confirm => "Confirm your email",
            Mode::Forgot => "Reset your password",
            Mode::Reset => "Choose a new password",
        }
    }

    fn button(self, busy: bool) -> &'static str {
        match (self, busy) {
            (Mode::SignIn, false) => "Sign in",
            (Mode::SignIn, true) => "Signing in…",
            (Mode::SignUp, false) => "Sign up",
            (Mode::SignUp, true) => "Creating account…",
            (Mode::Confirm, false) => "Confirm",
            (Mode::Confirm, true) => "Confirming…",
            (Mode::Forgot, false) => "Send code",
            (Mode::Forgot, true) => "Sending…",
            (Mode::Reset, false) => "Set password",
            (Mode::Reset, true) => "Setting password…",
        }
    }

    fn needs_password(self) -> bool {
        matches!(self, Mode::SignIn | Mode::SignUp | Mode::Reset)
    }

    fn needs_code(self) -> bool {
        matches!(self, Mode::Confirm | Mode::Reset)
    }
}

fn explain(failure: &CognitoFailure) -> String {
    match failure.kind.as_str() {
        "UsernameExistsException" => {
            "An account with this email already exists. Sign in instead.".into()
        }
        "InvalidParameterException" if failure.message.contains("email") => {
            "Enter a valid email address.".into()
        }
        "CodeMismatchException" => "That code is not right. Check the email and try again.".into(),
        "ExpiredCodeException" => {
            "That code has expired or was tried too often. Send a new code.".into()
        }
        _ => failure.message.clone(),
    }
}

fn sent_to(destination: &str) -> String {
    format!("We sent a code to {destination}. It may take a minute to arrive.")
}

/// What a submitted form led to: the next screen and what to tell the user there.
enum Next {
    /// Signed in: this page is gone.
    Done,
    Show(Mode, String),
}

#[component]
pub fn AuthPage() -> impl IntoView {
    let auth = expect_context::<Auth>();
    let mode = RwSignal::new(Mode::SignIn);
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);

    let go = move |next: Mode, notice: Option<String>| {
        mode.set(next);
        error.set(None);
        code.set(String::new());
        auth.notice.set(notice);
    };

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let current = mode.get_untracked();
        let (address, secret, digits) = (
            email.get_untracked(),
            password.get_untracked(),
            code.get_untracked(),
        );
        let missing = if address.trim().is_empty() {
            Some("Enter your email.")
        } else if current.needs_code() && digits.trim().is_empty() {
            Some("Enter the code from the email.")
        } else if current.needs_password() && secret.is_empty() {
            Some("Enter your password.")
        } else {
            None
        };
        if let Some(message) = missing {
            error.set(Some(message.into()));
            return;
        }
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let result = match current {
                Mode::SignIn => match auth.sign_in(&address, &secret).await {
                    Err(f) if f.kind == "UserNotConfirmedException" => Ok(Next::Show(
                        Mode::Confirm,
                        "Your email is not confirmed yet. Enter the code we sent you, or send a new one."
                            .into(),
                    )),
                    other => other.map(|()| Next::Done),
                },
                Mode::SignUp => auth.sign_up(&address, &secret).await.map(|s| match s {
                    SignUp::SignedIn => Next::Done,
                    SignUp::CodeSent(to) => Next::Show(Mode::Confirm, sent_to(&to)),
                }),
                // The password typed moments ago signs the user in once confirmed.
                Mode::Confirm => auth.confirm_sign_up(&address, &digits, &secret).await.map(
                    |signed_in| {
                        if signed_in {
                            Next::Done
                        } else {
                            Next::Show(
                                Mode::SignIn,
                                "Your email is confirmed. Sign in with your password.".into(),
                            )
                        }
                    },
                ),
                Mode::Forgot => auth
                    .forgot_password(&address)
                    .await
                    .map(|to| Next::Show(Mode::Reset, sent_to(&to))),
                Mode::Reset => auth
                    .reset_password(&address, &digits, &secret)
                    .await
                    .map(|()| Next::Done),
            };
            // On success this page is gone; its signals may already be disposed.
            busy.try_set(false);
            match result {
                Ok(Next::Done) => {}
                Ok(Next::Show(next, notice)) => {
                    if next == Mode::Reset {
                        password.set(String::new());
                    }
                    go(next, Some(notice));
                }
                Err(failure) => {
                    error.try_set(Some(explain(&failure)));
                }
            }
        });
    };

    let resend = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let address = email.get_untracked();
        spawn_local(async move {
            let result = auth.resend_code(&address).await;
            busy.try_set(false);
            match result {
                Ok(to) => go(Mode::Confirm, Some(sent_to(&to))),
                Err(failure) => {
                    error.try_set(Some(explain(&failure)));
                }
            }
        });
    };

    let current = move || mode.get();
    let password_label = move || {
        if current() == Mode::Reset {
            "New password"
        } else {
            "Password"
        }
    };

    view! {
        <main class="auth">
            <h1 class="brand">"Tasko"</h1>
            <form class="auth-card" on:submit=submit novalidate>
                <h2>{move || current().heading()}</h2>
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
                    readonly=move || current().needs_code()
                    bind:value=email
                />
                <Show when=move || current().needs_code()>
                    <label for="code">"Code from the email"</label>
                    <input
                        id="code"
                        name="code"
                        inputmode="numeric"
                        autocomplete="one-time-code"
                        maxlength="12"
                        bind:value=code
                    />
                </Show>
                <Show when=move || current().needs_password()>
                    <label for="password">{password_label}</label>
                    <input
                        id="password"
                        name="password"
                        type="password"
                        autocomplete=move || {
                            if current() == Mode::SignIn {
                                "current-password"
                            } else {
                                "new-password"
                            }
                        }
                        bind:value=password
                    />
                </Show>
                <Show when=move || matches!(current(), Mode::SignUp | Mode::Reset)>
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
                    {move || current().button(busy.get())}
                </button>
                <Show when=move || current() == Mode::SignIn>
                    <p class="switch">
                        <button type="button" class="link" on:click=move |_| go(Mode::Forgot, None)>
                            "Forgot password?"
                        </button>
                    </p>
                </Show>
                <Show when=move || current() == Mode::Confirm>
                    <p class="switch">
                        "No code? " <button type="button" class="link" on:click=resend>
                            "Send a new code"
                        </button>
                    </p>
                </Show>
                <p class="switch">
                    {move || match current() {
                        Mode::SignIn => "New to Tasko? ",
                        Mode::SignUp => "Already have an account? ",
                        _ => "",
                    }}
                    <button
                        type="button"
                        class="link"
                        on:click=move |_| {
                            let next = if current() == Mode::SignIn {
                                Mode::SignUp
                            } else {
                                Mode::SignIn
                            };
                            go(next, None);
                        }
                    >
                        {move || match current() {
                            Mode::SignIn => "Create an account",
                            Mode::SignUp => "Sign in",
                            _ => "Back to sign in",
                        }}
                    </button>
                </p>
            </form>
        </main>
    }
}
