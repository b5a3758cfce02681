//! Confirm the email with the code sent to it (a real user pool does not auto-confirm), or
//! ask for a new code. The password typed moments ago then signs the user in.

use leptos::prelude::*;

use super::{
    flow::{Flow, Mode, Next, explain, sent_to},
    parts::{AuthCard, CodeInput, EmailInput, SubmitButton, SwitchLink},
};

#[component]
pub fn ConfirmForm() -> impl IntoView {
    let flow = expect_context::<Flow>();
    let confirm = flow.action(|auth, f| async move {
        match auth.confirm_sign_up(&f.email, &f.code, &f.password).await {
            Ok(true) => Ok(Next::Done),
            // The page was reloaded since the password was typed.
            Ok(false) => Ok(Next::Show(
                Mode::SignIn,
                "Your email is confirmed. Sign in with your password.".into(),
            )),
            Err(e) => Err(explain(&e)),
        }
    });
    let resend = flow.action(|auth, f| async move {
        match auth.resend_code(&f.email).await {
            Ok(to) => Ok(Next::Show(Mode::Confirm, sent_to(&to))),
            Err(e) => Err(explain(&e)),
        }
    });
    let busy = Signal::derive(move || confirm.pending().get() || resend.pending().get());
    let submit = UnsyncCallback::new(move |()| {
        if !busy.get_untracked() && flow.ready(true, false) {
            confirm.dispatch_local(flow.fields());
        }
    });
    let send_again = move |_| {
        if !busy.get_untracked() {
            resend.dispatch_local(flow.fields());
        }
    };
    view! {
        <AuthCard heading="Confirm your email" on_submit=submit>
            <EmailInput readonly=true />
            <CodeInput />
            <SubmitButton idle="Confirm" working="Confirming…" busy />
            <p class="switch">
                "No code? " <button type="button" class="link" on:click=send_again>
                    "Send a new code"
                </button>
            </p>
            <SwitchLink lead="" label="Back to sign in" to=Mode::SignIn />
        </AuthCard>
    }
}
