//! The HTTP server loop: what `axum::serve` does (accept, a connection task each, the
//! client's address for `ConnectInfo`, graceful shutdown), plus the two connection settings
//! it does not expose:
//! - TCP_NODELAY: streamed events are small writes, which Nagle's algorithm and delayed
//!   ACKs would hold back for up to 40 ms;
//! - HTTP/1 half-close: otherwise hyper keeps reading a connection while a response streams
//!   (to notice a client that hung up), for which it reserves a 16 KiB read buffer per open
//!   chat stream, the largest part of an idle SSE chat's memory. A client that hangs up is
//!   still noticed at the next write (a chunk, or the keep-alive comment every 15 s), and a
//!   turn goes on without its listener anyway.

use std::{future::Future, time::Duration};

use axum::{Router, body::Body, extract::ConnectInfo, http::Request};
use hyper::body::Incoming;
use hyper_util::{rt::TokioIo, service::TowerToHyperService};
use tokio::{net::TcpListener, sync::watch};
use tower::ServiceExt;

/// Serves `router` on `listener` until `shutdown` completes, then lets open connections
/// finish (each is told to close after its current response).
pub async fn serve(
    listener: TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let (stop, stopped) = watch::channel(false);
    // Every connection task holds a receiver: when all are gone, all connections ended.
    let (open, open_rx) = watch::channel(());
    tokio::pin!(shutdown);
    loop {
        let (tcp, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                // Out of descriptors and the like: the next accept may work.
                Err(e) => {
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::debug!(error = %e, "TCP_NODELAY not set");
        }
        let service = router
            .clone()
            .map_request(move |request: Request<Incoming>| {
                let mut request = request.map(Body::new);
                request.extensions_mut().insert(ConnectInfo(remote));
                request
            });
        let connection = (stopped.clone(), open_rx.clone());
        tokio::spawn(serve_connection(tcp, service, connection));
    }
    drop(listener);
    let _ = stop.send(true);
    drop(open_rx);
    open.closed().await;
    Ok(())
}

async fn serve_connection<S>(
    tcp: tokio::net::TcpStream,
    service: S,
    (mut stopped, _open): (watch::Receiver<bool>, watch::Receiver<()>),
) where
    S: tower::Service<Request<Incoming>, Response = axum::response::Response>
        + Clone
        + Send
        + 'static,
    S::Future: Send + 'static,
    S::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let connection = hyper::server::conn::http1::Builder::new()
        .half_close(true)
        .serve_connection(TokioIo::new(tcp), TowerToHyperService::new(service))
        .with_upgrades();
    tokio::pin!(connection);
    let mut closing = *stopped.borrow();
    if closing {
        connection.as_mut().graceful_shutdown();
    }
    loop {
        tokio::select! {
            result = connection.as_mut() => {
                if let Err(e) = result {
                    tracing::trace!(error = %e, "connection ended with an error");
                }
                return;
            }
            changed = stopped.changed(), if !closing => {
                closing = true;
                if changed.is_ok() {
                    connection.as_mut().graceful_shutdown();
                }
            }
        }
    }
}
