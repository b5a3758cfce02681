//! The sign-in page: one form per screen (sign in, sign up, confirm the emailed code, forgot
//! password, choose a new one), the email kept from one to the next ([`Flow`]); `purpose`
//! says why the user is asked to sign in when it is not for the todos (the consent page).

use leptos::prelude::*;

use super::{
    confirm::ConfirmForm,
    flow::{Flow, Mode},
    reset::{ForgotForm, ResetForm},
    session::Auth,
    sign_in::SignInForm,
    sign_up::SignUpForm,
};

#[component]
pub fn AuthPage(#[prop(optional)] purpose: Option<&'static str>) -> impl IntoView {
    let flow = Flow::new(expect_context::<Auth>());
    provide_context(flow);
    // Only a change of screen renders another form (settling a form may name its own).
    let mode = Memo::new(move |_| flow.mode.get());
    view! {
        <main class="auth">
            <h1 class="brand">"Tasko"</h1>
            {purpose.map(|p| view! { <p class="auth-purpose">{p}</p> })}
            {move || match mode.get() {
                Mode::SignIn => view! { <SignInForm /> }.into_any(),
                Mode::SignUp => view! { <SignUpForm /> }.into_any(),
                Mode::Confirm => view! { <ConfirmForm /> }.into_any(),
                Mode::Forgot => view! { <ForgotForm /> }.into_any(),
                Mode::Reset => view! { <ResetForm /> }.into_any(),
            }}
        </main>
    }
}
