//! A throwaway PostgreSQL cluster for the server's tests: Debian's PostgreSQL, installed when
//! missing, a cluster in a temporary folder on a loopback port, stopped when dropped.

use std::path::PathBuf;

use crate::sh::{cmd, output, run, Result};

pub struct Cluster {
    bin: PathBuf,
    dir: PathBuf,
    pub url: String,
    as_postgres: bool,
}

/// The newest installed PostgreSQL's `bin` folder, installing the server if there is none.
fn bin_dir() -> Result<PathBuf> {
    let find = || -> Option<PathBuf> {
        let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
            .ok()?
            .flatten()
            .map(|e| e.path().join("bin"))
            .filter(|p| p.join("initdb").exists())
            .collect();
        versions.sort();
        versions.pop()
    };
    if let Some(b) = find() {
        return Ok(b);
    }
    crate::setup::apt(&["update", "-q"])?;
    crate::setup::apt(&["install", "-y", "-q", "--no-install-recommends", "postgresql"])?;
    find().ok_or_else(|| "PostgreSQL installed, but no initdb found under /usr/lib/postgresql".into())
}

fn free_port() -> Result<u16> {
    let l = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| format!("no free port: {e}"))?;
    l.local_addr().map(|a| a.port()).map_err(|e| e.to_string())
}

impl Cluster {
    pub fn start() -> Result<Cluster> {
        let bin = bin_dir()?;
        let dir = std::env::temp_dir().join(format!("quan-pg-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        // PostgreSQL refuses to run as root: as root, run it as the postgres user.
        let as_postgres = output("id", &["-u"]).is_some_and(|u| u.trim() == "0");
        if as_postgres {
            run(cmd("chown", &["-R", "postgres", &dir.display().to_string()]))?;
        }
        let port = free_port()?;
        let data = dir.join("data");
        let c = Cluster {
            bin,
            dir: dir.clone(),
            url: format!("postgres://postgres@127.0.0.1:{port}/postgres"),
            as_postgres,
        };
        c.pg(
            "initdb",
            &[
                "-D",
                &data.display().to_string(),
                "-A",
                "trust",
                "-U",
                "postgres",
                "--no-sync",
            ],
        )?;
        let opts = format!(
            "-p {port} -k {} -c listen_addresses=127.0.0.1 -c max_connections=400",
            dir.display()
        );
        let log = dir.join("log");
        c.pg(
            "pg_ctl",
            &[
                "-D",
                &data.display().to_string(),
                "-o",
                &opts,
                "-l",
                &log.display().to_string(),
                "-w",
                "start",
            ],
        )?;
        Ok(c)
    }

    fn pg(&self, tool: &str, args: &[&str]) -> Result {
        let program = self.bin.join(tool).display().to_string();
        if self.as_postgres {
            let mut all = vec!["-u", "postgres", "--", program.as_str()];
            all.extend_from_slice(args);
            run(cmd("runuser", &all))
        } else {
            run(cmd(&program, args))
        }
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let data = self.dir.join("data").display().to_string();
        let _ = self.pg("pg_ctl", &["-D", &data, "-m", "fast", "-w", "stop"]);
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
