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
    /// The defaults overridden by `QUAN_ADDR`, `QUAN_CAMPAIGNS`, `QUAN_DIST`, `QUAN_DEMO`,
    /// `QUAN_FRAME_ANCESTORS` (space-separated origins), `QUAN_CLOCK_AT` (China time,
    /// `YYYY-MM-DD HH:MM[:SS]`).
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
        if let Some(f) = var("QUAN_FRAME_ANCESTORS") {
            c.frame_ancestors = f.split_whitespace().map(str::to_owned).collect();
        }
        Ok(c)
    }
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
