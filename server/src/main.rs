use quan_server::clock::Clock;
use quan_server::{Application, Config};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    if std::env::args().nth(1).as_deref() == Some("openapi") {
        print!("{}", quan_server::openapi::document());
        return std::process::ExitCode::SUCCESS;
    }
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into());
    // One JSON object a line for a log collector (QUAN_LOG_FORMAT=json), or text for people.
    if std::env::var("QUAN_LOG_FORMAT").is_ok_and(|f| f == "json") {
        tracing_subscriber::fmt().json().with_env_filter(filter).init();
    } else {
        tracing_subscriber::fmt().with_env_filter(filter).init();
    }
    let config = match Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("configuration: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    let clock = config
        .clock_at
        .map(Clock::starting_at)
        .unwrap_or_else(Clock::system);
    let demo = config.demo;
    let app = match Application::build(config, clock).await {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            return std::process::ExitCode::from(1);
        }
    };
    // The line tools wait for: the address actually bound.
    match app.local_addr() {
        Ok(addr) => {
            if demo {
                println!("{}", quan_server::demo::credentials());
            }
            println!("listening on http://{addr}");
        }
        Err(e) => {
            eprintln!("cannot read the bound address: {e}");
            return std::process::ExitCode::from(1);
        }
    }
    match app.serve(shutdown_signal()).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("server error: {e}");
            std::process::ExitCode::from(1)
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down: finishing requests in flight");
}
