//! Configuration: defaults, then environment variables (`QUAN_*`).

use std::net::SocketAddr;
use std::path::PathBuf;

use quan_core::{ChinaDate, TimeOfDay, Timestamp};

/// How the server runs.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where to listen; port 0 picks a free port (tests).
    pub addr: SocketAddr,
    /// Folder of campaign files (`*.toml`).
    pub campaigns_dir: PathBuf,
    /// The widget's release build (Trunk's `dist/`), served at `/`; none when absent.
    pub dist_dir: Option<PathBuf>,
    /// Demo mode: the campaigns are moved to run from today.
    pub demo: bool,
    /// Origins allowed to frame the widget (`frame-ancestors`), besides the widget's own.
    pub frame_ancestors: Vec<String>,
    /// Start the server's clock at this instant instead of the machine's time (tests, rehearsals).
    pub clock_at: Option<Timestamp>,
    /// `sqlite:path/to/file.db` (the default, embedded) or `postgres://…`.
    pub database_url: String,
    /// Connections in the database pool.
    pub max_connections: u32,
    /// The host app's Ed25519 public key (32 bytes, hex), for residents' tokens.
    pub host_public_key: Option<[u8; 32]>,
    /// Requests per second a resident may make (bursts of twice that); 0 turns it off.
    pub rate_per_resident: f64,
    /// Requests per second one client address may make (bursts of twice that); 0 turns it off.
    pub rate_per_address: f64,
}

impl Default for Config {
    fn default() -> Self {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        Config {
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            campaigns_dir: root.join("campaigns"),
            dist_dir: None,
            demo: false,
            frame_ancestors: Vec::new(),
            clock_at: None,
            database_url: "sqlite:data/quan.db".into(),
            max_connections: 16,
            host_public_key: None,
            rate_per_resident: 10.0,
            rate_per_address: 200.0,
        }
    }
}

/// A configuration value that could not be read.
#[derive(Debug)]
pub struct ConfigError(pub String);

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConfigError {}

impl Config {
    /// The defaults overridden by environment variables: `QUAN_ADDR`, `QUAN_CAMPAIGNS`,
    /// `QUAN_DIST`, `QUAN_DEMO`, `QUAN_FRAME_ANCESTORS` (space-separated origins), `QUAN_CLOCK_AT`
    /// (China time, `YYYY-MM-DD HH:MM[:SS]`), `QUAN_DATABASE_URL`, `QUAN_DB_CONNECTIONS`,
    /// `QUAN_HOST_PUBLIC_KEY`, `QUAN_RATE_PER_RESIDENT`, `QUAN_RATE_PER_ADDRESS`.
    pub fn from_env() -> Result<Config, ConfigError> {
        let mut c = Config::default();
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        if let Some(a) = var("QUAN_ADDR") {
            c.addr = a
                .parse()
                .map_err(|e| ConfigError(format!("QUAN_ADDR={a}: {e}")))?;
        }
        if let Some(d) = var("QUAN_CAMPAIGNS") {
            c.campaigns_dir = d.into();
        }
        if let Some(d) = var("QUAN_DIST") {
            c.dist_dir = Some(d.into());
        }
        if let Some(d) = var("QUAN_DEMO") {
            c.demo = matches!(d.as_str(), "1" | "true" | "yes");
        }
        if let Some(t) = var("QUAN_CLOCK_AT") {
            c.clock_at =
                Some(parse_china_instant(&t).map_err(|e| ConfigError(format!("QUAN_CLOCK_AT={t}: {e}")))?);
        }
        if let Some(u) = var("QUAN_DATABASE_URL") {
            c.database_url = u;
        }
        if let Some(n) = var("QUAN_DB_CONNECTIONS") {
            c.max_connections = n
                .parse()
                .map_err(|e| ConfigError(format!("QUAN_DB_CONNECTIONS={n}: {e}")))?;
        }
        if let Some(k) = var("QUAN_HOST_PUBLIC_KEY") {
            c.host_public_key =
                Some(parse_key(&k).map_err(|e| ConfigError(format!("QUAN_HOST_PUBLIC_KEY: {e}")))?);
        }
        for (name, slot) in [
            ("QUAN_RATE_PER_RESIDENT", &mut c.rate_per_resident),
            ("QUAN_RATE_PER_ADDRESS", &mut c.rate_per_address),
        ] {
            if let Some(v) = var(name) {
                *slot = v
                    .parse()
                    .ok()
                    .filter(|x: &f64| x.is_finite() && *x >= 0.0)
                    .ok_or_else(|| {
                        ConfigError(format!(
                            "{name}={v}: a number of requests per second, 0 for no limit"
                        ))
                    })?;
            }
        }
        if let Some(f) = var("QUAN_FRAME_ANCESTORS") {
            c.frame_ancestors = f.split_whitespace().map(str::to_owned).collect();
        }
        Ok(c)
    }
}

/// 64 hexadecimal digits.
pub fn parse_key(text: &str) -> Result<[u8; 32], String> {
    let t = text.trim();
    if t.len() != 64 {
        return Err("a key is 64 hexadecimal digits".into());
    }
    let mut out = [0u8; 32];
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(&t[i * 2..i * 2 + 2], 16)
            .map_err(|_| "a key is 64 hexadecimal digits".to_owned())?;
    }
    Ok(out)
}

/// `2022-09-27 09:59:30`, read as China time.
pub fn parse_china_instant(text: &str) -> Result<Timestamp, String> {
    let (date, time) = text
        .trim()
        .split_once([' ', 'T'])
        .ok_or_else(|| "write it as YYYY-MM-DD HH:MM[:SS], China time".to_owned())?;
    let date = ChinaDate::parse(date).map_err(|e| e.to_string())?;
    let time = TimeOfDay::parse(time).map_err(|e| e.to_string())?;
    Ok(date.at(time))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_start_is_read_in_china_time() {
        assert_eq!(
            parse_china_instant("2022-09-27 09:59:30"),
            Ok(Timestamp(1_664_243_970_000))
        );
        assert_eq!(
            parse_china_instant("2022-09-27T10:00"),
            Ok(Timestamp(1_664_244_000_000))
        );
        assert!(parse_china_instant("2022-09-27").is_err());
        assert!(parse_china_instant("yesterday noon").is_err());
    }
}
