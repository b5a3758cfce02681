//! The client the UI's server functions use: leptos' browser `fetch` client with the
//! signed-in user's ID token attached (refreshed first when it is about to expire), so the
//! server's `AuthUser` extractor treats these calls like every other API call.

use std::{cell::Cell, future::Future};

use futures_util::{Sink, Stream};
use leptos::server_fn::{
    Bytes,
    client::{Client, browser::BrowserClient},
    error::FromServerFnError,
    request::browser::BrowserRequest,
    response::browser::BrowserResponse,
};
use send_wrapper::SendWrapper;

use super::auth::session::Auth;

thread_local! {
    /// The session server functions authenticate with (the browser has one thread).
    static SESSION: Cell<Option<Auth>> = const { Cell::new(None) };
}

/// Called once the session exists.
pub fn use_session(auth: Auth) {
    SESSION.with(|s| s.set(Some(auth)));
}

pub struct AuthorizedClient;

impl<E, IS, OS> Client<E, IS, OS> for AuthorizedClient
where
    E: FromServerFnError,
    IS: FromServerFnError,
    OS: FromServerFnError,
{
    type Request = BrowserRequest;
    type Response = BrowserResponse;

    fn send(req: Self::Request) -> impl Future<Output = Result<Self::Response, E>> + Send {
        SendWrapper::new(async move {
            if let Some(auth) = SESSION.with(Cell::get)
                && let Some(token) = auth.id_token().await
            {
                req.headers()
                    .set("Authorization", &format!("Bearer {token}"));
            }
            <BrowserClient as Client<E, IS, OS>>::send(req).await
        })
    }

    fn open_websocket(
        path: &str,
    ) -> impl Future<
        Output = Result<
            (
                impl Stream<Item = Result<Bytes, Bytes>> + Send + 'static,
                impl Sink<Bytes> + Send + 'static,
            ),
            E,
        >,
    > + Send {
        <BrowserClient as Client<E, IS, OS>>::open_websocket(path)
    }

    fn spawn(future: impl Future<Output = ()> + Send + 'static) {
        <BrowserClient as Client<E, IS, OS>>::spawn(future)
    }
}
