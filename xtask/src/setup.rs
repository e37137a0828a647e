//! Installs, idempotently and only what is missing, what building and testing need. A fresh
//! machine has only the Rust toolchain, Node.js and apt.

use crate::sh::{self, cmd, output, run, step, Result};

/// Trunk's version (0.22 needs a newer rustc than the machines have).
pub const TRUNK: &str = "0.21.14";
/// binaryen from npm: Debian's wasm-opt is too old to read what rustc emits.
pub const BINARYEN: &str = "132.0.0";

/// What `run` needs: the wasm target, trunk, wasm-bindgen, wasm-opt, and every crate the builds
/// use, the standard library's own dependencies included.
pub fn build_tools() -> Result {
    step("setup: the wasm target, rustfmt, clippy and the standard library's sources (rustup)");
    let targets = output("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if !targets.lines().any(|t| t.trim() == "wasm32-unknown-unknown") {
        run(cmd("rustup", &["target", "add", "wasm32-unknown-unknown"]))?;
    }
    for component in ["rustfmt", "clippy"] {
        let probe = if component == "rustfmt" {
            ["fmt", "--version"]
        } else {
            ["clippy", "--version"]
        };
        if output("cargo", &probe).is_none() {
            run(cmd("rustup", &["component", "add", component]))?;
        }
    }
    // The widget's release build rebuilds the standard library from its sources.
    let components = output("rustup", &["component", "list", "--installed"]).unwrap_or_default();
    if !components.lines().any(|c| c.trim().starts_with("rust-src")) {
        run(cmd("rustup", &["component", "add", "rust-src"]))?;
    }
    fetch_crates()?;
    let trunk = output("trunk", &["--version"]).unwrap_or_default();
    if !trunk.contains(TRUNK) {
        step(&format!(
            "setup: trunk {TRUNK}, built from source (once; about 6 minutes on 2 cores)"
        ));
        // --locked: newer releases of trunk's CSS dependencies no longer build it.
        run(cmd(
            "cargo",
            &["install", "trunk", "--version", TRUNK, "--locked"],
        ))?;
    } else {
        println!("trunk {TRUNK}: present");
    }
    let wanted = wasm_bindgen_version()?;
    let have = output("wasm-bindgen", &["--version"]).unwrap_or_default();
    if !have.split_whitespace().any(|w| w == wanted) {
        step(&format!(
            "setup: wasm-bindgen {wanted}, built from source (once; about 4 minutes on 2 cores)"
        ));
        // Must match the wasm-bindgen crate exactly; --locked fails against the registry mirror.
        run(cmd(
            "cargo",
            &["install", "wasm-bindgen-cli", "--version", &wanted],
        ))?;
    } else {
        println!("wasm-bindgen {wanted}: present");
    }
    let wasm_opt = sh::tools_bin().join("wasm-opt");
    let have = output(&wasm_opt.display().to_string(), &["--version"]).unwrap_or_default();
    let major = BINARYEN.split('.').next().unwrap_or(BINARYEN);
    if !have.contains(&format!("version {major}")) {
        step(&format!("setup: wasm-opt from binaryen {BINARYEN} (npm)"));
        std::fs::create_dir_all(sh::root().join("tools"))
            .map_err(|e| format!("cannot create tools/: {e}"))?;
        let pkg = format!("binaryen@{BINARYEN}");
        run(cmd(
            "npm",
            &[
                "install",
                "--no-save",
                "--no-audit",
                "--no-fund",
                "--prefix",
                "tools",
                &pkg,
            ],
        ))?;
    } else {
        println!("wasm-opt {major}: present");
    }
    Ok(())
}

/// Downloads every crate the workspace's builds use, for every target, and the crates the
/// standard library's sources depend on. The widget's release build rebuilds the standard
/// library (`-Zbuild-std`) under trunk's `--offline`, where cargo may not fetch; so they must be
/// in cargo's cache before it starts. Quick when they already are.
fn fetch_crates() -> Result {
    step("setup: crates for the workspace and for the standard library's sources (cargo fetch)");
    run(cmd("cargo", &["fetch", "--locked"]))?;
    let sysroot = output("rustc", &["--print", "sysroot"]).ok_or("`rustc --print sysroot` failed")?;
    let library = std::path::Path::new(sysroot.trim()).join("lib/rustlib/src/rust/library/Cargo.toml");
    if !library.exists() {
        return Err(format!(
            "{} is missing: is rust-src installed?",
            library.display()
        ));
    }
    // The standard library's manifest uses unstable features: RUSTC_BOOTSTRAP lets cargo read it.
    let mut c = cmd(
        "cargo",
        &[
            "fetch",
            "--locked",
            "--manifest-path",
            &library.display().to_string(),
        ],
    );
    c.env("RUSTC_BOOTSTRAP", "1");
    run(c)
}

/// What the browser tests add: Chromium, its driver, CJK fonts, and the npm test packages.
pub fn browser_tools() -> Result {
    step("setup: browser test tools");
    let missing: Vec<&str> = [
        ("chromium", "/usr/bin/chromium"),
        ("chromium-driver", "/usr/bin/chromedriver"),
    ]
    .iter()
    .filter(|(_, path)| !std::path::Path::new(path).exists())
    .map(|(pkg, _)| *pkg)
    .chain((!has_cjk_fonts()).then_some("fonts-noto-cjk"))
    .collect();
    if missing.is_empty() {
        println!("chromium, chromedriver, CJK fonts: present");
    } else {
        step(&format!("setup: {} (Debian's packages)", missing.join(", ")));
        apt(&["update", "-q"])?;
        let mut args = vec!["install", "-y", "-q", "--no-install-recommends"];
        args.extend(missing.iter().copied());
        apt(&args)?;
    }
    npm_packages(&sh::root(), "the npm test packages")
}

/// The npm packages of `dir` as its lock file pins them, installed (`npm ci`) unless what is
/// installed is newer than the lock.
pub fn npm_packages(dir: &std::path::Path, what: &str) -> Result {
    let installed = dir.join("node_modules/.package-lock.json");
    let lock = dir.join("package-lock.json");
    let fresh = match (std::fs::metadata(&installed), std::fs::metadata(&lock)) {
        (Ok(a), Ok(b)) => matches!((a.modified(), b.modified()), (Ok(x), Ok(y)) if x >= y),
        _ => false,
    };
    if fresh {
        println!("{what}: present");
    } else {
        step(&format!("setup: {what} (npm ci)"));
        let prefix = dir.display().to_string();
        run(cmd(
            "npm",
            &["ci", "--no-audit", "--no-fund", "--prefix", &prefix],
        ))?;
    }
    Ok(())
}

/// schemathesis's version, from PyPI, in a virtual environment of the project's (`tools/`).
pub const SCHEMATHESIS: &str = "4.32.5";

/// The Python of the virtual environment that holds schemathesis, made and filled when missing.
pub fn contract_tools() -> Result<std::path::PathBuf> {
    let venv = sh::root().join("tools/schemathesis");
    let python = venv.join("bin/python");
    let have = output(
        &venv.join("bin/schemathesis").display().to_string(),
        &["--version"],
    )
    .unwrap_or_default();
    if have.contains(SCHEMATHESIS) {
        println!("schemathesis {SCHEMATHESIS}: present");
        return Ok(python);
    }
    step(&format!(
        "setup: schemathesis {SCHEMATHESIS} (PyPI, into tools/schemathesis)"
    ));
    run(cmd("python3", &["-m", "venv", &venv.display().to_string()]))?;
    let pkg = format!("schemathesis=={SCHEMATHESIS}");
    run(cmd(
        &python.display().to_string(),
        &[
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            &pkg,
        ],
    ))?;
    Ok(python)
}

/// apt-get, through sudo when not root.
pub fn apt(args: &[&str]) -> Result {
    let is_root = output("id", &["-u"]).is_some_and(|u| u.trim() == "0");
    let mut c = if is_root {
        cmd("apt-get", args)
    } else {
        let mut with_sudo = vec!["apt-get"];
        with_sudo.extend_from_slice(args);
        cmd("sudo", &with_sudo)
    };
    c.env("DEBIAN_FRONTEND", "noninteractive");
    run(c)
}

fn has_cjk_fonts() -> bool {
    output("fc-list", &[":lang=zh"]).is_some_and(|l| !l.trim().is_empty())
}

/// The wasm-bindgen crate's version in Cargo.lock.
pub fn wasm_bindgen_version() -> Result<String> {
    let lock =
        std::fs::read_to_string(sh::root().join("Cargo.lock")).map_err(|e| format!("Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "name = \"wasm-bindgen\"" {
            if let Some(v) = lines.next().and_then(|l| l.trim().strip_prefix("version = \"")) {
                return Ok(v.trim_end_matches('"').to_owned());
            }
        }
    }
    Err("Cargo.lock names no wasm-bindgen version".into())
}
