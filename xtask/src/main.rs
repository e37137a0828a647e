//! `cargo xtask`: everything longer than one command.
//!
//! - `setup`: installs what is missing (wasm target, trunk, wasm-bindgen, wasm-opt, Chromium…)
//! - `build`: the widget's release build into `dist/` (what `run` and the end-to-end tests serve)
//! - `run`: builds the widget in release and serves it with the API in demo mode
//! - `test`: fmt, clippy, native tests, browser tests, the release build, end-to-end tests
//! - `bench rush`: the 10:00 rush against the optimised server, on SQLite and PostgreSQL
//! - `bench draw`: sign-ups for a day given out by draw, and the draw, on SQLite and PostgreSQL
//! - `bench web`: the resident's first load: compressed bytes, and time to the wallet on a slow phone
//! - `bench scan`: the till's QR decoder against jsQR, zbar-wasm and zxing-wasm on the same frames
//! - `bench sign-in`: `/time`'s latency alone and while 64 staff sign in (argon2) at once

mod bench;
mod build;
mod postgres;
mod setup;
mod sh;
mod test;

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <setup [--browser] | build | run | test | bench rush [--residents N] [--late N] [--concurrency N] | bench draw [--residents N] [--concurrency N] | bench web | bench scan | bench sign-in>";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("setup") => {
            let browser = args.iter().any(|a| a == "--browser");
            setup::build_tools().and_then(|_| if browser { setup::browser_tools() } else { Ok(()) })
        }
        Some("run") => build::run(),
        Some("build") => setup::build_tools().and_then(|_| build::widget_release()),
        Some("test") => test::all(),
        Some("bench") if args.get(1).map(String::as_str) == Some("rush") => bench::rush(&args[2..]),
        Some("bench") if args.get(1).map(String::as_str) == Some("draw") => bench::draw(&args[2..]),
        Some("bench") if args.get(1).map(String::as_str) == Some("web") => bench::web(),
        Some("bench") if args.get(1).map(String::as_str) == Some("sign-in") => bench::sign_in(),
        Some("bench") if args.get(1).map(String::as_str) == Some("scan") => bench::scan(),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod boundary {
    /// `core` is shared with the browser: it must never pull in a server crate.
    #[test]
    fn core_depends_on_no_server_crate() {
        let out = crate::sh::output(
            "cargo",
            &[
                "tree",
                "-p",
                "quan-core",
                "--target",
                "wasm32-unknown-unknown",
                "-e",
                "normal,build",
                "--prefix",
                "none",
            ],
        )
        .expect("cargo tree runs");
        let crates: Vec<&str> = out.lines().filter_map(|l| l.split_whitespace().next()).collect();
        assert!(crates.contains(&"serde"), "the tree was read: {crates:?}");
        for forbidden in ["axum", "sqlx", "tokio", "hyper", "tower"] {
            assert!(
                !crates
                    .iter()
                    .any(|c| *c == forbidden || c.starts_with(&format!("{forbidden}-"))),
                "core depends on {forbidden}"
            );
        }
    }

    /// The widget's build of core leaves the campaign-file parser out.
    #[test]
    fn the_widget_does_not_carry_the_toml_parser() {
        let out = crate::sh::output(
            "cargo",
            &[
                "tree",
                "-p",
                "quan-widget",
                "--target",
                "wasm32-unknown-unknown",
                "-e",
                "normal",
                "--prefix",
                "none",
            ],
        )
        .expect("cargo tree runs");
        assert!(out.contains("yew"), "the tree was read");
        assert!(
            !out.lines().any(|l| l.split_whitespace().next() == Some("toml")),
            "{out}"
        );
    }
}
