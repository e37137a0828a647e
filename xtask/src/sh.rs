//! Running commands: each one printed before it runs, its failure an error that names it.

use std::path::{Path, PathBuf};
use std::process::Command;

pub type Result<T = ()> = std::result::Result<T, String>;

/// The workspace root (xtask lives one folder below it).
pub fn root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(Path::to_path_buf).unwrap_or(manifest)
}

/// The project's tools folder (git-ignored): npm packages such as binaryen's wasm-opt.
pub fn tools_bin() -> PathBuf {
    root().join("tools/node_modules/.bin")
}

/// Where `cargo install` puts binaries: `CARGO_INSTALL_ROOT`, else `CARGO_HOME`, else
/// `~/.cargo` (CI gives cargo an empty `CARGO_HOME` of its own and keeps the install root).
pub fn cargo_bin() -> Option<PathBuf> {
    ["CARGO_INSTALL_ROOT", "CARGO_HOME"]
        .iter()
        .find_map(|v| std::env::var_os(v).filter(|p| !p.is_empty()).map(PathBuf::from))
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .map(|root| root.join("bin"))
}

/// PATH with the project's tools and cargo's installed binaries first.
pub fn path_env() -> String {
    let mut parts = vec![tools_bin().display().to_string()];
    if let Some(bin) = cargo_bin() {
        parts.push(bin.display().to_string());
    }
    if let Ok(p) = std::env::var("PATH") {
        parts.push(p);
    }
    parts.join(":")
}

/// A command in the workspace root, with the project's PATH.
pub fn cmd(program: &str, args: &[&str]) -> Command {
    let mut c = Command::new(program);
    c.args(args).current_dir(root()).env("PATH", path_env());
    c
}

/// Runs a command to completion; an unsuccessful exit is an error.
pub fn run(mut c: Command) -> Result {
    let shown = show(&c);
    println!("$ {shown}");
    let status = c.status().map_err(|e| format!("cannot start `{shown}`: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{shown}` failed ({status})"))
    }
}

/// Runs a command and returns what it printed, or `None` if it could not run or failed.
pub fn output(program: &str, args: &[&str]) -> Option<String> {
    let out = cmd(program, args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

fn show(c: &Command) -> String {
    let mut s = c.get_program().to_string_lossy().into_owned();
    for a in c.get_args() {
        s.push(' ');
        s.push_str(&a.to_string_lossy());
    }
    s
}

/// When the first step started: each heading says how long the run has taken so far.
static STARTED: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();

/// Prints a step's heading, with the minutes and seconds since the first step.
pub fn step(name: &str) {
    let elapsed = STARTED.get_or_init(std::time::Instant::now).elapsed().as_secs();
    println!("\n==> [{:>2}m{:02}s] {name}", elapsed / 60, elapsed % 60);
}
