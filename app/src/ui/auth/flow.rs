//! What the five sign-in forms share: the screen shown, the fields kept while the user moves
//! between screens (the email typed on one is on the next), the error line, and how the
//! answer of a submitted form is settled (the next screen and what to tell the user there).
//! Errors from the identity provider are shown as it words them (Cognito's messages are meant
//! for end users), except where a friendlier one exists.

use leptos::prelude::*;

use super::{cognito::CognitoFailure, session::Auth};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    SignIn,
    SignUp,
    /// Enter the code that confirms the email (after sign-up, or signing in unconfirmed).
    Confirm,
    /// Ask for a password-reset code.
    Forgot,
    /// Enter the reset code and the new password.
    Reset,
}

/// What a submitted form led to: the next screen and what to tell the user there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Next {
    /// Signed in: this page is gone.
    Done,
    Show(Mode, String),
}

/// What the user typed; each form reads the fields it shows.
#[derive(Clone, Debug, Default)]
pub struct Fields {
    pub email: String,
    pub password: String,
    pub code: String,
}

/// The answer of a form's action: where to go, or the sentence to show.
pub type Answer = Result<Next, String>;

pub fn explain(failure: &CognitoFailure) -> String {
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

pub fn sent_to(destination: &str) -> String {
    format!("We sent a code to {destination}. It may take a minute to arrive.")
}

/// The page's state, shared by its forms through context.
#[derive(Clone, Copy)]
pub struct Flow {
    pub auth: Auth,
    pub mode: RwSignal<Mode>,
    pub email: RwSignal<String>,
    pub password: RwSignal<String>,
    pub code: RwSignal<String>,
    pub error: RwSignal<Option<String>>,
}

impl Flow {
    pub fn new(auth: Auth) -> Self {
        Self {
            auth,
            mode: RwSignal::new(Mode::SignIn),
            email: RwSignal::new(String::new()),
            password: RwSignal::new(String::new()),
            code: RwSignal::new(String::new()),
            error: RwSignal::new(None),
        }
    }

    /// Moves to another screen, with a notice saying why (or none).
    pub fn go(self, next: Mode, notice: Option<String>) {
        self.mode.set(next);
        self.error.set(None);
        self.code.set(String::new());
        self.auth.notice.set(notice);
    }

    /// The fields as typed.
    pub fn fields(self) -> Fields {
        Fields {
            email: self.email.get_untracked(),
            password: self.password.get_untracked(),
            code: self.code.get_untracked(),
        }
    }

    /// Checks the fields a form needs before it is sent; shows what is missing. `true` when
    /// the form may be sent (the previous error is then cleared).
    pub fn ready(self, needs_code: bool, needs_password: bool) -> bool {
        let Fields {
            email,
            password,
            code,
        } = self.fields();
        let missing = if email.trim().is_empty() {
            Some("Enter your email.")
        } else if needs_code && code.trim().is_empty() {
            Some("Enter the code from the email.")
        } else if needs_password && password.is_empty() {
            Some("Enter your password.")
        } else {
            None
        };
        self.error.set(missing.map(Into::into));
        missing.is_none()
    }

    /// A form's request to the identity provider, sent with the fields as typed when the form
    /// is submitted: its `pending()` is the form's busy state, and each answer is settled as
    /// it arrives (the next screen, or the error line; on `Done` the session changed and this
    /// page is gone). One input type for every form keeps one copy of `Action` in the wasm.
    pub fn action<F, Fut>(self, send: F) -> Action<Fields, Answer>
    where
        F: Fn(Auth, Fields) -> Fut + 'static,
        Fut: Future<Output = Answer> + 'static,
    {
        let auth = self.auth;
        let action = Action::new_local(move |fields: &Fields| send(auth, fields.clone()));
        Effect::new(move |_| match action.value().get() {
            None | Some(Ok(Next::Done)) => {}
            Some(Ok(Next::Show(next, notice))) => {
                if next == Mode::Reset {
                    self.password.set(String::new());
                }
                self.go(next, Some(notice));
            }
            Some(Err(message)) => self.error.set(Some(message)),
        });
        action
    }
}
