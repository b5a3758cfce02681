//! The Chat Completions stand-in of the tests, served alone: `PORT` (default 0: any free
//! port) on 127.0.0.1; prints `listening <base URL>` once ready. The official `openai`
//! Python client is checked against it, and Playwright drives the seed story through it.

#[path = "../tests/api/openai_standin.rs"]
#[allow(dead_code)]
mod openai_standin;

#[tokio::main]
async fn main() {
    let port = std::env::var("PORT").unwrap_or_else(|_| "0".into());
    let listener = tokio::net::TcpListener::bind(format!("127.0.0.1:{port}"))
        .await
        .expect("the port is free");
    let url = format!("http://{}/v1", listener.local_addr().expect("bound"));
    println!("listening {url}");
    let app = openai_standin::router(openai_standin::Recorded::default());
    axum::serve(listener, app).await.expect("serves");
}
