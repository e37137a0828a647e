use quan_server::clock::Clock;
use quan_server::{Config, Server};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("openapi") => {
            print!("{}", quan_server::openapi::document());
            return std::process::ExitCode::SUCCESS;
        }
        Some("backup") => return backup(args.get(1)).await,
        Some(command @ ("admin" | "audit" | "campaigns")) => return administer(command, &args[1..]).await,
        Some("check-campaigns") => return check_campaigns(args.get(1)),
        Some("data-key") => return data_key(&args[1..]).await,
        Some(other) if !other.starts_with('-') => {
            eprintln!(
                "unknown command {other:?}: quan-server [openapi | backup PATH | admin … | audit verify | campaigns apply FILE | check-campaigns DIR | data-key new|rotate]"
            );
            return std::process::ExitCode::from(2);
        }
        _ => {}
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
    let app = match Server::build(config, clock).await {
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

/// `quan-server check-campaigns DIR`: every campaign file in `DIR` validated as the server would
/// at start, and said in words; the first file that fails, and why.
fn check_campaigns(dir: Option<&String>) -> std::process::ExitCode {
    let Some(dir) = dir else {
        eprintln!("usage: quan-server check-campaigns DIR (a folder of *.toml campaign files)");
        return std::process::ExitCode::from(2);
    };
    match quan_server::startup::load_campaigns(std::path::Path::new(dir)) {
        Ok(campaigns) if campaigns.is_empty() => {
            eprintln!("{dir}: no campaign files (*.toml)");
            std::process::ExitCode::from(1)
        }
        Ok(campaigns) => {
            for c in &campaigns {
                println!("{}\n", quan_core::summary::in_words(c));
            }
            println!("{} campaigns, each valid", campaigns.len());
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            std::process::ExitCode::from(1)
        }
    }
}

/// The configured database, for a command.
async fn database(connections: u32) -> Result<quan_server::db::Db, std::process::ExitCode> {
    let config = Config::from_env().map_err(|e| {
        eprintln!("configuration: {e}");
        std::process::ExitCode::from(2)
    })?;
    quan_server::db::Db::connect(&config.database_url, connections)
        .await
        .map_err(|e| {
            eprintln!("database {}: {e}", config.database_url);
            std::process::ExitCode::from(1)
        })
}

/// `quan-server admin …` and `quan-server audit verify` ([`quan_server::admin`]).
async fn administer(command: &str, args: &[String]) -> std::process::ExitCode {
    if matches!(command, "admin" | "campaigns")
        && args
            .first()
            .is_none_or(|a| matches!(a.as_str(), "help" | "--help" | "-h"))
    {
        println!("{}", quan_server::admin::USAGE);
        return std::process::ExitCode::SUCCESS;
    }
    let db = match database(2).await {
        Ok(db) => db,
        Err(code) => return code,
    };
    let now = Clock::system().now();
    said(match command {
        "admin" => quan_server::admin::admin(&db, args, now).await,
        "campaigns" => quan_server::admin::campaigns_command(&db, args, now).await,
        _ => quan_server::admin::audit_command(&db, args).await,
    })
}

/// A command's outcome in words: what it did on standard output, or why not on standard error.
fn said(done: Result<String, quan_server::admin::Refusal>) -> std::process::ExitCode {
    match done {
        Ok(words) => {
            println!("{words}");
            std::process::ExitCode::SUCCESS
        }
        Err(quan_server::admin::Refusal(words)) => {
            eprintln!("{words}");
            std::process::ExitCode::from(1)
        }
    }
}

/// `quan-server data-key new | rotate` ([`quan_server::admin::data_key_command`]).
async fn data_key(args: &[String]) -> std::process::ExitCode {
    let config = match Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("configuration: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    said(quan_server::admin::data_key_command(&config, args, Clock::system().now()).await)
}

/// `quan-server backup PATH`: the configured database (SQLite) and its uploads, copied into the
/// new folder PATH while the server may be running.
async fn backup(dest: Option<&String>) -> std::process::ExitCode {
    let Some(dest) = dest else {
        eprintln!("usage: quan-server backup PATH (a folder that does not exist yet)");
        return std::process::ExitCode::from(2);
    };
    let config = match Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("configuration: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    let db = match quan_server::db::Db::connect(&config.database_url, 2).await {
        Ok(db) => db,
        Err(e) => {
            eprintln!("database: {e}");
            return std::process::ExitCode::from(1);
        }
    };
    let dest = std::path::Path::new(dest);
    match quan_server::backup::backup(&db, &config.uploads_dir, dest).await {
        Ok(b) => {
            println!(
                "backed up into {}: the database ({}) and {} documents\n\
                 to restore, start the server with QUAN_DATABASE_URL=sqlite:{} QUAN_UPLOADS={}",
                dest.display(),
                b.database.display(),
                b.documents,
                b.database.display(),
                dest.join("uploads").display()
            );
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("backup: {e}");
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
