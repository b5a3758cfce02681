//! Forgot password: ask for a reset code (sent to the email), then choose a new password
//! with it, which signs the user in.

use leptos::prelude::*;

use super::{
    flow::{Flow, Mode, Next, explain, sent_to},
    parts::{AuthCard, CodeInput, EmailInput, PasswordInput, SubmitButton, SwitchLink},
};

/// Ask for the code.
#[component]
pub fn ForgotForm() -> impl IntoView {
    let flow = expect_context::<Flow>();
    let auth = flow.auth;
    let send = Action::new_local(move |email: &String| {
        let email = email.clone();
        async move {
            match auth.forgot_password(&email).await {
                Ok(to) => Ok(Next::Show(Mode::Reset, sent_to(&to))),
                Err(f) => Err(explain(&f)),
            }
        }
    });
    flow.settle(send);
    let busy = send.pending();
    let submit = UnsyncCallback::new(move |()| {
        if !busy.get_untracked() && flow.ready(false, false) {
            send.dispatch_local(flow.email.get_untracked());
        }
    });
    view! {
        <AuthCard heading="Reset your password" on_submit=submit>
            <EmailInput />
            <SubmitButton idle="Send code" working="Sending…" busy />
            <SwitchLink lead="" label="Back to sign in" to=Mode::SignIn />
        </AuthCard>
    }
}

/// The code and the new password.
#[component]
pub fn ResetForm() -> impl IntoView {
    let flow = expect_context::<Flow>();
    let auth = flow.auth;
    let reset = Action::new_local(move |(email, code, password): &(String, String, String)| {
        let (email, code, password) = (email.clone(), code.clone(), password.clone());
        async move {
            match auth.reset_password(&email, &code, &password).await {
                Ok(()) => Ok(Next::Done),
                Err(f) => Err(explain(&f)),
            }
        }
    });
    flow.settle(reset);
    let busy = reset.pending();
    let submit = UnsyncCallback::new(move |()| {
        if !busy.get_untracked() && flow.ready(true, true) {
            let (email, password, code) = flow.fields();
            reset.dispatch_local((email, code, password));
        }
    });
    view! {
        <AuthCard heading="Choose a new password" on_submit=submit>
            <EmailInput readonly=true />
            <CodeInput />
            <PasswordInput label="New password" new=true />
            <SubmitButton idle="Set password" working="Setting password…" busy />
            <SwitchLink lead="" label="Back to sign in" to=Mode::SignIn />
        </AuthCard>
    }
}
