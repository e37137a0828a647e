//! Configuration: defaults, then environment variables (`QUAN_*`).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use quan_core::{ChinaDate, TimeOfDay, Timestamp};

use crate::vault::DataKey;

/// How the server runs.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where to listen; port 0 picks a free port (tests).
    pub addr: SocketAddr,
    /// Folder of campaign files (`*.toml`).
    pub campaigns_dir: PathBuf,
    /// The widget's release build (Trunk's `dist/`), served at `/`; none when absent.
    pub dist_dir: Option<PathBuf>,
    /// Where uploaded documents (subsidy applications) are kept, named by their SHA-256.
    pub uploads_dir: PathBuf,
    /// Demo mode: the campaigns are moved to run from today.
    pub demo: bool,
    /// With demo mode: the campaigns run from yesterday, and a whole day of residents' claims and
    /// redemptions (and today's so far) is made at start, for the console's charts.
    pub demo_activity: bool,
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
    /// A client has this long to send a request's headers, the first on a connection or the next
    /// on a kept-alive one; then the connection is closed.
    pub header_timeout: Duration,
    /// A client has this long to send a request's body (documents: [`Config::upload_timeout`]).
    pub body_timeout: Duration,
    /// The time to send one subsidy document (8 MB at about 256 kbit/s).
    pub upload_timeout: Duration,
    /// Connections open at once; one over it is closed as it is accepted.
    pub max_clients: usize,
    /// Claims waiting in an instance's queue beyond which a new one is asked to come back in a
    /// few seconds (503 with Retry-After), rather than queue: the automatic overload switch.
    pub claim_queue_busy: usize,
    /// The proxies whose `Forwarded` / `X-Forwarded-*` headers are believed (the bank's TLS
    /// proxy in front): none by default, so the TCP peer is the client.
    pub trusted_proxies: Vec<crate::proxy::Cidr>,
    /// The bearer token `/api/v1/metrics` asks for; without one, metrics answer only to this
    /// machine (a scraper beside the server).
    pub metrics_token: Option<String>,
    /// A console session (operator, reviewer, auditor) ends after this long unused.
    pub console_idle: Duration,
    /// A till session (manager, cashier) ends after this long unused: one shift.
    pub till_idle: Duration,
    /// Wrong passwords one address may send in a row before it is slowed to one a half-minute;
    /// 0 turns it off.
    pub sign_in_failures: u64,
    /// The key that seals applicants' bank cards, phones and documents ([`crate::vault`]); needed
    /// outside demo mode.
    pub data_key: Option<DataKey>,
    /// Keys sealed with before, still opened until `quan-server data-key rotate` has run.
    pub previous_data_keys: Vec<DataKey>,
}

/// A data key from a file of its own (`QUAN_DATA_KEY_FILE`), readable by the server alone.
fn key_file(path: &str) -> Result<DataKey, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    DataKey::parse(&text).map_err(|e| format!("{path}: {e}"))
}

/// Previous data keys, comma- or space-separated.
fn previous_keys(text: &str) -> Result<Vec<DataKey>, String> {
    text.split([',', ' '])
        .filter(|k| !k.trim().is_empty())
        .map(DataKey::parse)
        .collect()
}

/// CIDR blocks or addresses, empty entries skipped.
fn parse_proxies<'a>(items: impl Iterator<Item = &'a str>) -> Result<Vec<crate::proxy::Cidr>, String> {
    items
        .filter(|i| !i.trim().is_empty())
        .map(crate::proxy::Cidr::parse)
        .collect()
}

/// A metrics token: long enough not to be guessed, and sendable in a header.
fn metrics_token(text: &str) -> Result<String, String> {
    let t = text.trim();
    if t.len() < 16 || t.len() > 256 || !t.bytes().all(|b| b.is_ascii_graphic()) {
        return Err("16 to 256 printable characters, no spaces".into());
    }
    Ok(t.to_owned())
}

/// The bounds of the timeouts, in seconds, and of the connections open at once.
const TIMEOUT_SECS: std::ops::RangeInclusive<u64> = 1..=3_600;
const CLIENTS: std::ops::RangeInclusive<u64> = 1..=1_000_000;
/// Claims waiting in the queue before new ones are asked to come back: up to the queue's size.
const QUEUE_DEPTH: std::ops::RangeInclusive<u64> = 0..=20_000;
/// Minutes a session may idle: from one minute to a day.
const IDLE_MINUTES: std::ops::RangeInclusive<u64> = 1..=1_440;
const FAILURES: std::ops::RangeInclusive<u64> = 0..=10_000;

/// A number of `what` in `bounds`, from the variable or file key `name`.
fn bounded(
    name: &str,
    text: &str,
    bounds: &std::ops::RangeInclusive<u64>,
    what: &str,
) -> Result<u64, String> {
    text.trim()
        .parse::<u64>()
        .ok()
        .filter(|n| bounds.contains(n))
        .ok_or_else(|| {
            format!(
                "{name}={text}: {what} from {} to {}",
                bounds.start(),
                bounds.end()
            )
        })
}

impl Default for Config {
    fn default() -> Self {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        Config {
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            campaigns_dir: root.join("campaigns"),
            dist_dir: None,
            uploads_dir: PathBuf::from("data/uploads"),
            demo: false,
            demo_activity: false,
            frame_ancestors: Vec::new(),
            clock_at: None,
            database_url: "sqlite:data/quan.db".into(),
            max_connections: 16,
            host_public_key: None,
            rate_per_resident: 10.0,
            rate_per_address: 200.0,
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(30),
            upload_timeout: Duration::from_secs(300),
            max_clients: 4_096,
            claim_queue_busy: 10_000,
            trusted_proxies: Vec::new(),
            metrics_token: None,
            console_idle: Duration::from_secs(30 * 60),
            till_idle: Duration::from_secs(10 * 3600),
            sign_in_failures: 10,
            data_key: None,
            previous_data_keys: Vec::new(),
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
    /// The defaults, overridden by the file `QUAN_CONFIG` names (see [`Config::apply_file`]), then
    /// by environment variables: `QUAN_ADDR`, `QUAN_CAMPAIGNS`,
    /// `QUAN_DIST`, `QUAN_UPLOADS`, `QUAN_DEMO`, `QUAN_DEMO_ACTIVITY`, `QUAN_FRAME_ANCESTORS` (space-separated origins), `QUAN_CLOCK_AT`
    /// (China time, `YYYY-MM-DD HH:MM[:SS]`), `QUAN_DATABASE_URL`, `QUAN_DB_CONNECTIONS`,
    /// `QUAN_HOST_PUBLIC_KEY`, `QUAN_RATE_PER_RESIDENT`, `QUAN_RATE_PER_ADDRESS`,
    /// `QUAN_HEADER_TIMEOUT`, `QUAN_BODY_TIMEOUT`, `QUAN_UPLOAD_TIMEOUT` (seconds),
    /// `QUAN_MAX_CLIENTS`, `QUAN_TRUSTED_PROXIES` (CIDR blocks, comma- or space-separated),
    /// `QUAN_METRICS_TOKEN`, `QUAN_CONSOLE_IDLE`, `QUAN_TILL_IDLE` (minutes),
    /// `QUAN_SIGN_IN_FAILURES`, `QUAN_DATA_KEY` (64 hex digits) or `QUAN_DATA_KEY_FILE` (a file
    /// holding them), `QUAN_DATA_KEY_PREVIOUS` (keys being rotated out, comma-separated).
    pub fn from_env() -> Result<Config, ConfigError> {
        let mut c = Config::default();
        // First the file named by QUAN_CONFIG, if any; then the environment over it.
        if let Some(path) = std::env::var("QUAN_CONFIG").ok().filter(|p| !p.trim().is_empty()) {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| ConfigError(format!("QUAN_CONFIG={path}: {e}")))?;
            c.apply_file(&text)
                .map_err(|e| ConfigError(format!("{path}: {e}")))?;
        }
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
        if let Some(d) = var("QUAN_UPLOADS") {
            c.uploads_dir = d.into();
        }
        if let Some(d) = var("QUAN_DEMO") {
            c.demo = matches!(d.as_str(), "1" | "true" | "yes");
        }
        if let Some(d) = var("QUAN_DEMO_ACTIVITY") {
            c.demo_activity = matches!(d.as_str(), "1" | "true" | "yes");
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
        for (name, slot) in [
            ("QUAN_HEADER_TIMEOUT", &mut c.header_timeout),
            ("QUAN_BODY_TIMEOUT", &mut c.body_timeout),
            ("QUAN_UPLOAD_TIMEOUT", &mut c.upload_timeout),
        ] {
            if let Some(v) = var(name) {
                *slot =
                    Duration::from_secs(bounded(name, &v, &TIMEOUT_SECS, "seconds").map_err(ConfigError)?);
            }
        }
        if let Some(v) = var("QUAN_TRUSTED_PROXIES") {
            c.trusted_proxies = parse_proxies(v.split([',', ' ']))
                .map_err(|e| ConfigError(format!("QUAN_TRUSTED_PROXIES: {e}")))?;
        }
        if let Some(t) = var("QUAN_METRICS_TOKEN") {
            c.metrics_token =
                Some(metrics_token(&t).map_err(|e| ConfigError(format!("QUAN_METRICS_TOKEN: {e}")))?);
        }
        for (name, slot) in [
            ("QUAN_CONSOLE_IDLE", &mut c.console_idle),
            ("QUAN_TILL_IDLE", &mut c.till_idle),
        ] {
            if let Some(v) = var(name) {
                *slot = Duration::from_secs(
                    60 * bounded(name, &v, &IDLE_MINUTES, "minutes").map_err(ConfigError)?,
                );
            }
        }
        if let Some(v) = var("QUAN_SIGN_IN_FAILURES") {
            c.sign_in_failures =
                bounded("QUAN_SIGN_IN_FAILURES", &v, &FAILURES, "wrong passwords").map_err(ConfigError)?;
        }
        if let Some(path) = var("QUAN_DATA_KEY_FILE") {
            c.data_key = Some(key_file(&path).map_err(|e| ConfigError(format!("QUAN_DATA_KEY_FILE: {e}")))?);
        }
        if let Some(k) = var("QUAN_DATA_KEY") {
            c.data_key = Some(DataKey::parse(&k).map_err(|e| ConfigError(format!("QUAN_DATA_KEY: {e}")))?);
        }
        if let Some(k) = var("QUAN_DATA_KEY_PREVIOUS") {
            c.previous_data_keys =
                previous_keys(&k).map_err(|e| ConfigError(format!("QUAN_DATA_KEY_PREVIOUS: {e}")))?;
        }
        if let Some(v) = var("QUAN_MAX_CLIENTS") {
            c.max_clients =
                bounded("QUAN_MAX_CLIENTS", &v, &CLIENTS, "connections").map_err(ConfigError)? as usize;
        }
        if let Some(v) = var("QUAN_CLAIM_QUEUE_BUSY") {
            c.claim_queue_busy =
                bounded("QUAN_CLAIM_QUEUE_BUSY", &v, &QUEUE_DEPTH, "claims").map_err(ConfigError)? as usize;
        }
        Ok(c)
    }
}

/// The configuration file: every key optional, named as the variables are without `QUAN_`, in
/// lower case (`addr`, `database_url`, `db_connections`, `campaigns`, `dist`, `uploads`, `demo`, `demo_activity`,
/// `frame_ancestors`, `clock_at`, `host_public_key`, `rate_per_resident`, `rate_per_address`,
/// `header_timeout`, `body_timeout`, `upload_timeout`, `max_clients`, `claim_queue_busy`, `trusted_proxies`,
/// `metrics_token`, `console_idle`, `till_idle`, `sign_in_failures`, `data_key_file`; the data key
/// itself is not written in this file, only where its own file is).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    addr: Option<String>,
    database_url: Option<String>,
    db_connections: Option<u32>,
    campaigns: Option<PathBuf>,
    dist: Option<PathBuf>,
    uploads: Option<PathBuf>,
    demo: Option<bool>,
    demo_activity: Option<bool>,
    frame_ancestors: Option<Vec<String>>,
    clock_at: Option<String>,
    host_public_key: Option<String>,
    rate_per_resident: Option<f64>,
    rate_per_address: Option<f64>,
    header_timeout: Option<u64>,
    body_timeout: Option<u64>,
    upload_timeout: Option<u64>,
    max_clients: Option<u64>,
    claim_queue_busy: Option<u64>,
    trusted_proxies: Option<Vec<String>>,
    metrics_token: Option<String>,
    console_idle: Option<u64>,
    till_idle: Option<u64>,
    sign_in_failures: Option<u64>,
    data_key_file: Option<String>,
}

impl Config {
    /// Applies a configuration file's settings.
    pub fn apply_file(&mut self, text: &str) -> Result<(), String> {
        let f: FileConfig = toml::from_str(text).map_err(|e| e.to_string())?;
        if let Some(a) = f.addr {
            self.addr = a.parse().map_err(|e| format!("addr = {a}: {e}"))?;
        }
        if let Some(u) = f.database_url {
            self.database_url = u;
        }
        if let Some(n) = f.db_connections {
            self.max_connections = n;
        }
        if let Some(d) = f.campaigns {
            self.campaigns_dir = d;
        }
        if f.dist.is_some() {
            self.dist_dir = f.dist;
        }
        if let Some(u) = f.uploads {
            self.uploads_dir = u;
        }
        if let Some(d) = f.demo {
            self.demo = d;
        }
        if let Some(d) = f.demo_activity {
            self.demo_activity = d;
        }
        if let Some(o) = f.frame_ancestors {
            self.frame_ancestors = o;
        }
        if let Some(t) = f.clock_at {
            self.clock_at = Some(parse_china_instant(&t).map_err(|e| format!("clock_at = {t}: {e}"))?);
        }
        if let Some(k) = f.host_public_key {
            self.host_public_key = Some(parse_key(&k).map_err(|e| format!("host_public_key: {e}"))?);
        }
        for (name, value, slot) in [
            (
                "rate_per_resident",
                f.rate_per_resident,
                &mut self.rate_per_resident,
            ),
            ("rate_per_address", f.rate_per_address, &mut self.rate_per_address),
        ] {
            if let Some(v) = value {
                if !v.is_finite() || v < 0.0 {
                    return Err(format!("{name} is requests per second, 0 for no limit"));
                }
                *slot = v;
            }
        }
        for (name, value, slot) in [
            ("header_timeout", f.header_timeout, &mut self.header_timeout),
            ("body_timeout", f.body_timeout, &mut self.body_timeout),
            ("upload_timeout", f.upload_timeout, &mut self.upload_timeout),
        ] {
            if let Some(v) = value {
                *slot = Duration::from_secs(bounded(name, &v.to_string(), &TIMEOUT_SECS, "seconds")?);
            }
        }
        for (name, value, slot) in [
            ("console_idle", f.console_idle, &mut self.console_idle),
            ("till_idle", f.till_idle, &mut self.till_idle),
        ] {
            if let Some(v) = value {
                *slot = Duration::from_secs(60 * bounded(name, &v.to_string(), &IDLE_MINUTES, "minutes")?);
            }
        }
        if let Some(v) = f.sign_in_failures {
            self.sign_in_failures =
                bounded("sign_in_failures", &v.to_string(), &FAILURES, "wrong passwords")?;
        }
        if let Some(v) = f.max_clients {
            self.max_clients = bounded("max_clients", &v.to_string(), &CLIENTS, "connections")? as usize;
        }
        if let Some(v) = f.claim_queue_busy {
            self.claim_queue_busy =
                bounded("claim_queue_busy", &v.to_string(), &QUEUE_DEPTH, "claims")? as usize;
        }
        if let Some(p) = f.trusted_proxies {
            self.trusted_proxies =
                parse_proxies(p.iter().map(String::as_str)).map_err(|e| format!("trusted_proxies: {e}"))?;
        }
        if let Some(t) = f.metrics_token {
            self.metrics_token = Some(metrics_token(&t).map_err(|e| format!("metrics_token: {e}"))?);
        }
        if let Some(path) = f.data_key_file {
            self.data_key = Some(key_file(&path).map_err(|e| format!("data_key_file: {e}"))?);
        }
        Ok(())
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
    fn a_configuration_file_sets_what_it_names() {
        let mut c = Config::default();
        let file = "addr = \"0.0.0.0:9000\"\ndatabase_url = \"postgres://db/quan\"\ndemo = true\n\
                    frame_ancestors = [\"https://m.bank.example\"]\nrate_per_address = 0\n";
        assert_eq!(c.apply_file(file), Ok(()));
        assert_eq!(c.addr.port(), 9000);
        assert_eq!(c.database_url, "postgres://db/quan");
        assert!(c.demo);
        assert_eq!(c.frame_ancestors, ["https://m.bank.example"]);
        assert_eq!(c.rate_per_address, 0.0);
        assert_eq!(
            c.rate_per_resident, 10.0,
            "what the file does not name keeps its default"
        );
        assert!(c
            .apply_file("adress = \"typo\"")
            .unwrap_err()
            .contains("unknown field"));
        assert!(c.apply_file("rate_per_resident = -1").is_err());
        assert!(c.apply_file("addr = \"nowhere\"").is_err());
    }

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
