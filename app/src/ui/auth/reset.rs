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
    let send = flow.action(|auth, f| async move {
        match auth.forgot_password(&f.email).await {
            Ok(to) => Ok(Next::Show(Mode::Reset, sent_to(&to))),
            Err(e) => Err(explain(&e)),
        }
    });
    let busy = send.pending();
    let submit = UnsyncCallback::new(move |()| {
        if !busy.get_untracked() && flow.ready(false, false) {
            send.dispatch_local(flow.fields());
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
    let reset = flow.action(|auth, f| async move {
        match auth.reset_password(&f.email, &f.code, &f.password).await {
            Ok(()) => Ok(Next::Done),
            Err(e) => Err(explain(&e)),
        }
    });
    let busy = reset.pending();
    let submit = UnsyncCallback::new(move |()| {
        if !busy.get_untracked() && flow.ready(true, true) {
            reset.dispatch_local(flow.fields());
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
