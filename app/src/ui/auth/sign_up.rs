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
    let sign_up = flow.action(|auth, f| async move {
        match auth.sign_up(&f.email, &f.password).await {
            Ok(SignUp::SignedIn) => Ok(Next::Done),
            Ok(SignUp::CodeSent(to)) => Ok(Next::Show(Mode::Confirm, sent_to(&to))),
            Err(e) => Err(explain(&e)),
        }
    });
    let busy = sign_up.pending();
    let submit = UnsyncCallback::new(move |()| {
        if !busy.get_untracked() && flow.ready(false, true) {
            sign_up.dispatch_local(flow.fields());
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
