//! `cargo xtask test`: everything CI checks, in the order that fails fastest.

use crate::sh::{cmd, run, step, Result};
use crate::{build, setup};

const WASM: &str = "wasm32-unknown-unknown";

pub fn all() -> Result {
    setup::build_tools()?;
    setup::browser_tools()?;

    step("format");
    run(cmd("cargo", &["fmt", "--all", "--", "--check"]))?;

    step("clippy (native and wasm)");
    run(cmd(
        "cargo",
        &[
            "clippy",
            "--workspace",
            "--exclude",
            "quan-widget",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
    ))?;
    run(cmd(
        "cargo",
        &[
            "clippy",
            "-p",
            "quan-widget",
            "--target",
            WASM,
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
    ))?;

    step("core builds for wasm32 on its own");
    run(cmd("cargo", &["check", "-p", "quan-core", "--target", WASM]))?;

    step("native tests: core, server, xtask (server on SQLite)");
    run(cmd("cargo", &["test", "--workspace", "--exclude", "quan-widget"]))?;

    step("server tests on PostgreSQL");
    let cluster = crate::postgres::Cluster::start()?;
    let mut c = cmd("cargo", &["test", "-p", "quan-server"]);
    c.env("QUAN_TEST_POSTGRES", &cluster.url);
    run(c)?;
    drop(cluster);

    step("widget tests in headless Chromium (wasm-bindgen-test)");
    let mut c = cmd("cargo", &["test", "-p", "quan-widget", "--target", WASM]);
    c.env(
        "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
        "wasm-bindgen-test-runner",
    )
    .env("CHROMEDRIVER", "/usr/bin/chromedriver")
    .env("WASM_BINDGEN_TEST_TIMEOUT", "120");
    run(c)?;

    build::widget_release()?;

    run(cmd("cargo", &["build", "-p", "quan-server"]))?;
    let server = crate::sh::root().join("target/debug/quan-server");
    let python = setup::contract_tools()?;
    step("the API's contract: schemathesis against the server, with each role's session");
    run(cmd(
        &python.display().to_string(),
        &[
            "tests/contract/run.py",
            &server.display().to_string(),
            "docs/openapi.json",
        ],
    ))?;

    step("end-to-end in headless Chromium (Playwright)");
    let mut c = cmd("node", &["--test", "--test-concurrency=1", "tests/e2e/"]);
    c.env("QUAN_SERVER_BIN", &server)
        .env("QUAN_DIST", crate::sh::root().join("dist"));
    run(c)
}
