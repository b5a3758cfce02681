//! Create an account. A pool that confirms emails sends a code first (the code screen);
//! otherwise the new account is signed in at once.

use leptos::prelude::*;

use super::{
    flow::{Flow, Mode, Next, explain, sent_to},
    parts::{AuthCard, EmailInput, PasswordInput, SubmitButton, SwitchLink},
    session::SignUp,
};

#[component]
pub fn SignUpForm() -> impl IntoView {
    let flow = expect_context::<Flow>();
    let auth = flow.auth;
    let sign_up = Action::new_local(move |(email, password): &(String, String)| {
        let (email, password) = (email.clone(), password.clone());
        async move {
            match auth.sign_up(&email, &password).await {
                Ok(SignUp::SignedIn) => Ok(Next::Done),
                Ok(SignUp::CodeSent(to)) => Ok(Next::Show(Mode::Confirm, sent_to(&to))),
                Err(f) => Err(explain(&f)),
            }
        }
    });
    flow.settle(sign_up);
    let busy = sign_up.pending();
    let submit = UnsyncCallback::new(move |()| {
        if !busy.get_untracked() && flow.ready(false, true) {
            let (email, password, _) = flow.fields();
            sign_up.dispatch_local((email, password));
        }
    });
    view! {
        <AuthCard heading="Create your account" on_submit=submit>
            <EmailInput />
            <PasswordInput label="Password" new=true />
            <SubmitButton idle="Sign up" working="Creating account…" busy />
            <SwitchLink lead="Already have an account? " label="Sign in" to=Mode::SignIn />
        </AuthCard>
    }
}
