//! The widget's release build, and `run`: the widget and the API on one origin.

use std::io::Write;
use std::path::Path;

use crate::setup;
use crate::sh::{self, cmd, run as run_cmd, step, Result};

/// `trunk build --release`, then every text asset precompressed (brotli and gzip) for the server.
///
/// The standard library is rebuilt for the widget with panics that abort at once: no panic
/// messages or formatting machinery in what residents download. That takes the toolchain's own
/// sources (`rust-src`) and `RUSTC_BOOTSTRAP` for the two unstable flags; nothing else is built
/// that way.
pub fn widget_release() -> Result {
    step("widget: release build (trunk)");
    // The resident's app, then the till, the console and the subsidy application into folders
    // of their own (each build empties its folder).
    // The till's files keep their names (no hash): it loads its decoder worker by name.
    let builds: [&[&str]; 4] = [
        &["build", "index.html", "--release", "--offline=true"],
        &[
            "build",
            "merchant.html",
            "--release",
            "--offline=true",
            "--filehash=false",
            "--dist",
            "dist/merchant",
            "--public-url",
            "/merchant/",
        ],
        &[
            "build",
            "operator.html",
            "--release",
            "--offline=true",
            "--dist",
            "dist/operator",
            "--public-url",
            "/operator/",
        ],
        &[
            "build",
            "apply.html",
            "--release",
            "--offline=true",
            "--dist",
            "dist/apply",
            "--public-url",
            "/apply/",
        ],
    ];
    for args in builds {
        let mut c = cmd("trunk", args);
        c.env("RUSTC_BOOTSTRAP", "1")
            .env("CARGO_UNSTABLE_BUILD_STD", "std,panic_abort")
            .env(
                "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS",
                "-Zunstable-options -Cpanic=immediate-abort",
            );
        run_cmd(c)?;
    }
    precompress(&sh::root().join("dist/merchant"))?;
    precompress(&sh::root().join("dist/operator"))?;
    precompress(&sh::root().join("dist/apply"))?;
    precompress(&sh::root().join("dist"))
}

/// Writes `x.br` and `x.gz` beside every compressible file in `dir`.
pub fn precompress(dir: &Path) -> Result {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        let compressible = path
            .extension()
            .and_then(|x| x.to_str())
            .is_some_and(|x| matches!(x, "wasm" | "js" | "css" | "html" | "svg" | "webmanifest" | "json"));
        if !compressible {
            continue;
        }
        let data = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut br = Vec::new();
        {
            let params = brotli::enc::BrotliEncoderParams {
                quality: 11,
                lgwin: 22,
                ..Default::default()
            };
            brotli::BrotliCompress(&mut data.as_slice(), &mut br, &params)
                .map_err(|e| format!("brotli {}: {e}", path.display()))?;
        }
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&data)
            .map_err(|e| format!("gzip {}: {e}", path.display()))?;
        let gz = gz.finish().map_err(|e| format!("gzip {}: {e}", path.display()))?;
        let with = |ext: &str| {
            let mut name = path.as_os_str().to_owned();
            name.push(ext);
            std::path::PathBuf::from(name)
        };
        std::fs::write(with(".br"), br).map_err(|e| format!("{}: {e}", path.display()))?;
        std::fs::write(with(".gz"), gz).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(())
}

/// `cargo xtask run`: set-up, the widget's release build, and the server in demo mode serving
/// both on one origin (`QUAN_ADDR` to change where; default 127.0.0.1:8080).
pub fn run() -> Result {
    setup::build_tools()?;
    widget_release()?;
    step("server (demo mode)");
    let root = sh::root();
    std::fs::create_dir_all(root.join("data")).map_err(|e| format!("cannot create data/: {e}"))?;
    let mut c = cmd("cargo", &["run", "--profile", "server", "-p", "quan-server"]);
    c.env("QUAN_DIST", root.join("dist"))
        .env("QUAN_DEMO", "1")
        .env("QUAN_DEMO_ACTIVITY", "1")
        .env(
            "QUAN_ADDR",
            std::env::var("QUAN_ADDR").unwrap_or_else(|_| "127.0.0.1:8080".into()),
        );
    run_cmd(c)
}
