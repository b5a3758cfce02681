use server::{config::Settings, startup::Application};

/// Threads for blocking work (store calls). The embedded store commits one write at a time
/// (each with an fsync), so under load hundreds of writers would each hold a thread only to
/// wait for the lock: measured, 400 threads and 800 MB of memory in a two-minute soak.
/// Beyond this many, blocking calls wait in the runtime's queue instead.
const BLOCKING_THREADS: usize = 32;

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(BLOCKING_THREADS)
        .build()
        .expect("the Tokio runtime");
    runtime.block_on(serve());
}

async fn serve() {
    // `tasko-server function-schema`: the action group's FunctionSchema, for infra/.
    if std::env::args().nth(1).as_deref() == Some("function-schema") {
        let schema = server::action_group::function_schema();
        println!("{}", serde_json::to_string_pretty(&schema).expect("JSON"));
        return;
    }
    // `tasko-server vapid-key`: a new VAPID private key (PKCS#8 PEM) for `make deploy` to
    // store once as the SSM SecureString the function reads.
    if std::env::args().nth(1).as_deref() == Some("vapid-key") {
        print!("{}", server::push::vapid::generate_pem());
        return;
    }
    let settings = match Settings::from_env() {
        Ok(settings) => settings,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    server::init_tracing(&settings.log);
    // `tasko-server csp`: the CSP for the built frontend, for the edge (CloudFront).
    if std::env::args().nth(1).as_deref() == Some("csp") {
        match server::startup::content_security_policy(&settings).await {
            Ok(csp) => println!("{csp}"),
            Err(e) => {
                eprintln!("{e}");
                std::process::exit(1);
            }
        }
        return;
    }
    // The same binary and router on AWS Lambda: only the transport differs.
    if server::startup::on_lambda() {
        if let Err(e) = server::startup::run_on_lambda(settings).await {
            eprintln!("failed on Lambda: {e}");
            std::process::exit(1);
        }
        return;
    }
    let app = match Application::build(settings).await {
        Ok(app) => app,
        Err(e) => {
            eprintln!("failed to start: {e}");
            std::process::exit(1);
        }
    };
    if let Err(e) = app.run_until_stopped().await {
        eprintln!("server error: {e}");
        std::process::exit(1);
    }
}
