//! Sign in with email and password. An unconfirmed account is sent to the code screen.

use leptos::prelude::*;

use super::{
    flow::{Flow, Mode, Next, explain},
    parts::{AuthCard, EmailInput, PasswordInput, SubmitButton, SwitchLink},
};

#[component]
pub fn SignInForm() -> impl IntoView {
    let flow = expect_context::<Flow>();
    let sign_in = flow.action(|auth, f| async move {
        match auth.sign_in(&f.email, &f.password).await {
            Ok(()) => Ok(Next::Done),
            Err(e) if e.kind == "UserNotConfirmedException" => Ok(Next::Show(
                Mode::Confirm,
                "Your email is not confirmed yet. Enter the code we sent you, or send a new one."
                    .into(),
            )),
            Err(e) => Err(explain(&e)),
        }
    });
    let busy = sign_in.pending();
    let submit = UnsyncCallback::new(move |()| {
        if !busy.get_untracked() && flow.ready(false, true) {
            sign_in.dispatch_local(flow.fields());
        }
    });
    view! {
        <AuthCard heading="Sign in" on_submit=submit>
            <EmailInput />
            <PasswordInput label="Password" new=false />
            <SubmitButton idle="Sign in" working="Signing in…" busy />
            <SwitchLink lead="" label="Forgot password?" to=Mode::Forgot />
            <SwitchLink lead="New to Tasko? " label="Create an account" to=Mode::SignUp />
        </AuthCard>
    }
}
