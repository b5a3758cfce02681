//! Sign in with email and password. An unconfirmed account is sent to the code screen.

use leptos::prelude::*;

use super::{
    flow::{Flow, Mode, Next, explain},
    parts::{AuthCard, EmailInput, PasswordInput, SubmitButton, SwitchLink},
};

#[component]
pub fn SignInForm() -> impl IntoView {
    let flow = expect_context::<Flow>();
    let auth = flow.auth;
    let sign_in = Action::new_local(move |(email, password): &(String, String)| {
        let (email, password) = (email.clone(), password.clone());
        async move {
            match auth.sign_in(&email, &password).await {
                Ok(()) => Ok(Next::Done),
                Err(f) if f.kind == "UserNotConfirmedException" => Ok(Next::Show(
                    Mode::Confirm,
                    "Your email is not confirmed yet. Enter the code we sent you, or send a new one."
                        .into(),
                )),
                Err(f) => Err(explain(&f)),
            }
        }
    });
    flow.settle(sign_in);
    let busy = sign_in.pending();
    let submit = UnsyncCallback::new(move |()| {
        if !busy.get_untracked() && flow.ready(false, true) {
            let (email, password, _) = flow.fields();
            sign_in.dispatch_local((email, password));
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
