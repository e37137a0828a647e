//! The command line's administration: the first operator, staff accounts, merchants, and the
//! audit trail's check. Run on the server's machine against the configured database, as
//! `quan-server admin …` and `quan-server audit verify`. Passwords are read from the terminal
//! (not shown) or from standard input, never from the arguments.

use std::io::{BufRead, IsTerminal};

use quan_core::api::Role;
use quan_core::{password, MerchantId, Timestamp};

use quan_core::campaign::Campaign;

use crate::audit::{self, Verdict};
use crate::db::Db;
use crate::store::revisions::{self, By, Proposal};
use crate::store::{accounts, sessions};
use quan_core::api::AuditAct;

/// What `quan-server admin` says when asked for help or given something it does not know.
pub const USAGE: &str = "\
quan-server admin create-operator NAME [--county COUNTY] [--display TEXT]
    an operator for the person at the terminal, who chooses the password
quan-server admin create-account NAME --role ROLE [--merchant ID] [--county COUNTY] [--display TEXT]
    an account for someone else, with a one-time password they must change at the first sign-in
    ROLE: operator, reviewer, auditor, merchant_manager, cashier (the last two need --merchant)
quan-server admin create-merchant NAME --category CATEGORY [--county COUNTY]
quan-server admin reset-password NAME     a new one-time password; the holder must change it
quan-server admin disable NAME            the account's sessions end at once
quan-server admin enable NAME
quan-server admin list
quan-server audit verify                  checks the audit trail's chain, names the first broken entry
quan-server campaigns apply FILE [--reason TEXT]
    a revised campaign file: checked, its changes shown in words, applied once you answer yes;
    every running instance runs the new version within a second
quan-server campaigns versions ID         the campaign's versions, newest first
quan-server data-key new                  prints a new data key (64 hex digits) for QUAN_DATA_KEY_FILE
quan-server data-key rotate               seals applicants' bank cards, phones and documents again
                                          under QUAN_DATA_KEY, opening them with QUAN_DATA_KEY_PREVIOUS

A password is asked for on the terminal, or read as one line from standard input.";

/// A command's failure, in words for the person at the terminal.
#[derive(Debug)]
pub struct Refusal(pub String);

impl<E: std::fmt::Display> From<E> for Refusal {
    fn from(e: E) -> Refusal {
        Refusal(e.to_string())
    }
}

/// The arguments after the command's name: the one positional argument and `--flag value`s.
struct Args<'a> {
    name: Option<&'a str>,
    flags: Vec<(&'a str, &'a str)>,
}

impl<'a> Args<'a> {
    fn parse(args: &'a [String]) -> Result<Args<'a>, Refusal> {
        let mut name = None;
        let mut flags = Vec::new();
        let mut it = args.iter();
        while let Some(a) = it.next() {
            if let Some(flag) = a.strip_prefix("--") {
                if flag == "password" {
                    return Err(Refusal(
                        "a password is never given on the command line (it would stay in the shell's history): \
                         it is asked for, or read from standard input"
                            .into(),
                    ));
                }
                let value = it
                    .next()
                    .ok_or_else(|| Refusal(format!("--{flag} needs a value")))?;
                flags.push((flag, value.as_str()));
            } else if name.is_none() {
                name = Some(a.as_str());
            } else {
                return Err(Refusal(format!("unexpected argument {a:?}")));
            }
        }
        Ok(Args { name, flags })
    }

    fn name(&self, what: &str) -> Result<&'a str, Refusal> {
        self.name
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .ok_or_else(|| Refusal(format!("which {what}? (quan-server admin help)")))
    }

    fn flag(&self, name: &str) -> Option<&'a str> {
        self.flags.iter().find(|(f, _)| *f == name).map(|(_, v)| *v)
    }

    fn only(&self, allowed: &[&str]) -> Result<(), Refusal> {
        match self.flags.iter().find(|(f, _)| !allowed.contains(f)) {
            Some((f, _)) => Err(Refusal(format!("unknown option --{f}"))),
            None => Ok(()),
        }
    }
}

/// A new password for `name`, asked for twice on a terminal, or one line of standard input.
fn read_password(name: &str) -> Result<String, Refusal> {
    let password = if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password(format!("new password for {name}: "))?;
        let again = rpassword::prompt_password("the same again: ")?;
        if first != again {
            return Err(Refusal("the two passwords differ: nothing was changed".into()));
        }
        first
    } else {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        line.trim_end_matches(['\r', '\n']).to_owned()
    };
    password::check(&password, name).map_err(|w| Refusal(format!("{w}: nothing was changed")))?;
    Ok(password)
}

fn act(action: &str, object: &str, detail: String) -> AuditAct {
    AuditAct {
        account: None,
        actor: "command line".into(),
        role: "admin".into(),
        address: String::new(),
        action: action.into(),
        object: object.into(),
        result: "ok".into(),
        detail,
    }
}

/// Runs `quan-server campaigns apply FILE | versions ID`: a revision confirmed at the terminal
/// (`yes`, typed or as one line of standard input), through the same checks as the console's.
pub async fn campaigns_command(db: &Db, args: &[String], now: Timestamp) -> Result<String, Refusal> {
    let Some((command, rest)) = args.split_first() else {
        return Err(Refusal(USAGE.into()));
    };
    let a = Args::parse(rest)?;
    match command.as_str() {
        "apply" => {
            a.only(&["reason"])?;
            let path = a.name("campaign file")?;
            let file = std::fs::read_to_string(path).map_err(|e| Refusal(format!("{path}: {e}")))?;
            let revised = Campaign::from_toml(&file).map_err(|e| Refusal(format!("{path}: {e}")))?;
            let reason = quan_core::revision::check_reason(a.flag("reason").unwrap_or(""))
                .map_err(|why| Refusal(why.into()))?;
            let proposal = |previewed| Proposal {
                revised: &revised,
                file: Some(&file),
                reason,
                previewed,
            };
            let refused =
                |e: crate::error::AppError| Refusal(e.detail.unwrap_or_else(|| e.code.as_str().into()));
            let preview = revisions::revise(db, proposal(None), By::CommandLine, false, now)
                .await
                .map_err(refused)?;
            println!(
                "campaign {} version {} would change:",
                revised.id, preview.version
            );
            for c in &preview.changes {
                println!("  {c}");
            }
            for r in &preview.releases {
                println!(
                    "  round {} {} releases {} yuan on {}, its first of {} days",
                    r.round, r.kind, r.per_day, r.starts, r.days
                );
            }
            if std::io::stdin().is_terminal() {
                print!("apply it? type yes: ");
                std::io::Write::flush(&mut std::io::stdout())?;
            }
            let mut answer = String::new();
            std::io::stdin().lock().read_line(&mut answer)?;
            if answer.trim() != "yes" {
                return Err(Refusal("not applied: nothing was changed".into()));
            }
            let made = revisions::revise(db, proposal(Some(preview.version)), By::CommandLine, true, now)
                .await
                .map_err(refused)?;
            let words: Vec<String> = made.changes.iter().map(ToString::to_string).collect();
            audit::record(
                db,
                act(
                    "revise_campaign",
                    revised.id.as_str(),
                    format!("{} version {}: {}", revised.id, made.version, words.join("; ")),
                ),
                now,
            )
            .await?;
            Ok(format!(
                "campaign {} runs version {} from now, on every instance within a second",
                revised.id, made.version
            ))
        }
        "versions" => {
            a.only(&[])?;
            let id = a.name("campaign")?;
            let versions = revisions::list(db, id).await?;
            if versions.is_empty() {
                return Err(Refusal(format!("no campaign {id}")));
            }
            let lines: Vec<String> = versions
                .iter()
                .map(|v| {
                    let words: Vec<String> = v.changes.iter().map(ToString::to_string).collect();
                    format!(
                        "version {} at {} by {}: {}{}",
                        v.version,
                        v.at.map(|t| t.china_display()).unwrap_or_default(),
                        v.by.as_deref().unwrap_or(""),
                        if words.is_empty() {
                            "the seed".into()
                        } else {
                            words.join("; ")
                        },
                        if v.reason.is_empty() {
                            String::new()
                        } else {
                            format!(" ({})", v.reason)
                        }
                    )
                })
                .collect();
            Ok(lines.join("\n"))
        }
        other => Err(Refusal(format!("unknown command campaigns {other}\n{USAGE}"))),
    }
}

/// Runs `quan-server admin ARGS…`; what it did, in words.
pub async fn admin(db: &Db, args: &[String], now: Timestamp) -> Result<String, Refusal> {
    let Some((command, rest)) = args.split_first() else {
        return Err(Refusal(USAGE.into()));
    };
    let a = Args::parse(rest)?;
    match command.as_str() {
        "create-operator" => {
            a.only(&["county", "display"])?;
            create_account(db, &a, Role::Operator, false, now).await
        }
        "create-account" => {
            a.only(&["role", "merchant", "county", "display"])?;
            let role = a.flag("role").ok_or_else(|| Refusal("--role is needed".into()))?;
            let role = Role::parse(role)
                .filter(|r| Role::STAFF.contains(r))
                .ok_or_else(|| Refusal(format!("no role {role:?}: {}", staff_roles())))?;
            create_account(db, &a, role, true, now).await
        }
        "create-merchant" => {
            a.only(&["category", "county"])?;
            let name = a.name("merchant")?;
            let category = a
                .flag("category")
                .ok_or_else(|| Refusal("--category is needed (as the campaign files name it)".into()))?;
            let county = a.flag("county").unwrap_or("");
            let id = accounts::ensure_merchant(db, name, category, county, now).await?;
            audit::record(
                db,
                act(
                    "create_merchant",
                    name,
                    format!("merchant {}, category {category}", id.0),
                ),
                now,
            )
            .await?;
            Ok(format!("merchant {name:?} has id {}", id.0))
        }
        "reset-password" => {
            a.only(&[])?;
            let name = a.name("account")?;
            let acc = find(db, name).await?;
            let password = read_password(name)?;
            let hash = crate::auth::hash_password(&password).map_err(Refusal)?;
            accounts::set_password(db, acc.id, &hash, true).await?;
            let ended = sessions::revoke_all(db, acc.id, None, now).await?;
            audit::record(
                db,
                act("reset_password", name, format!("{ended} sessions ended")),
                now,
            )
            .await?;
            Ok(format!(
                "{name}'s password is reset; {ended} sessions ended. The holder must choose a new one at the next sign-in."
            ))
        }
        "disable" | "enable" => {
            a.only(&[])?;
            let name = a.name("account")?;
            let acc = find(db, name).await?;
            let on = command == "disable";
            accounts::set_disabled(db, acc.id, on, now).await?;
            audit::record(db, act(command, name, String::new()), now).await?;
            Ok(if on {
                format!("{name} is disabled: its sessions no longer work")
            } else {
                format!("{name} is enabled again")
            })
        }
        "list" => {
            a.only(&[])?;
            let mut out = String::from("name\trole\tmerchant\tcounty\tstate\n");
            for acc in accounts::list(db, None).await? {
                out.push_str(&format!(
                    "{}\t{}\t{}\t{}\t{}\n",
                    acc.username,
                    acc.role.as_str(),
                    acc.merchant.map(|m| m.0.to_string()).unwrap_or_default(),
                    acc.county,
                    if acc.disabled {
                        "disabled"
                    } else if acc.must_change_password {
                        "must change password"
                    } else {
                        "active"
                    }
                ));
            }
            Ok(out.trim_end().to_owned())
        }
        "help" | "--help" | "-h" => Ok(USAGE.into()),
        other => Err(Refusal(format!("unknown command {other:?}\n\n{USAGE}"))),
    }
}

fn staff_roles() -> String {
    Role::STAFF.map(Role::as_str).join(", ")
}

async fn find(db: &Db, name: &str) -> Result<accounts::Account, Refusal> {
    accounts::find_account(db, name)
        .await?
        .ok_or_else(|| Refusal(format!("no account {name:?}")))
}

/// A new account; `one_time`: its password is for the first sign-in only.
async fn create_account(
    db: &Db,
    a: &Args<'_>,
    role: Role,
    one_time: bool,
    now: Timestamp,
) -> Result<String, Refusal> {
    let name = password::username(a.name("account name")?).map_err(|e| Refusal(e.into()))?;
    let merchant = match (role.at_till(), a.flag("merchant")) {
        (true, Some(m)) => {
            let id = m
                .parse::<i64>()
                .ok()
                .map(MerchantId)
                .ok_or_else(|| Refusal(format!("--merchant {m}: a merchant's id is a number")))?;
            accounts::merchant(db, id)
                .await?
                .ok_or_else(|| Refusal(format!("no merchant {m} (quan-server admin create-merchant)")))?;
            Some(id)
        }
        (true, None) => {
            return Err(Refusal(format!(
                "a {} belongs to a shop: --merchant ID",
                role.as_str()
            )))
        }
        (false, Some(_)) => {
            return Err(Refusal(format!(
                "a {} belongs to no shop: no --merchant",
                role.as_str()
            )))
        }
        (false, None) => None,
    };
    let county = a.flag("county").unwrap_or("").trim();
    let display = a.flag("display").unwrap_or(name);
    let password = read_password(name)?;
    let hash = crate::auth::hash_password(&password).map_err(Refusal)?;
    let created = accounts::create(db, name, &hash, role, merchant, display, county, one_time, now).await?;
    if created.is_none() {
        return Err(Refusal(format!("there is an account {name:?} already")));
    }
    let scope = if county.is_empty() {
        String::new()
    } else {
        format!(", county {county}")
    };
    audit::record(
        db,
        act("create_account", name, format!("role {}{scope}", role.as_str())),
        now,
    )
    .await?;
    let first = if one_time {
        "; the password is for the first sign-in only, when a new one must be chosen"
    } else {
        ""
    };
    Ok(format!("created {} {name:?}{scope}{first}", role.as_str()))
}

/// Runs `quan-server audit verify`: `Ok` with the count when the chain holds.
pub async fn audit_command(db: &Db, args: &[String]) -> Result<String, Refusal> {
    match args.first().map(String::as_str) {
        Some("verify") => match audit::verify(db).await? {
            Verdict::Intact { entries } => Ok(format!("the audit trail is intact: {entries} entries")),
            Verdict::Broken { seq, why } => Err(Refusal(format!(
                "the audit trail is broken at entry {seq}: {why}"
            ))),
        },
        _ => Err(Refusal("quan-server audit verify".into())),
    }
}

/// Runs `quan-server data-key new` or `quan-server data-key rotate` (see [`crate::vault`]).
pub async fn data_key_command(
    config: &crate::config::Config,
    args: &[String],
    now: Timestamp,
) -> Result<String, Refusal> {
    use crate::vault::{DataKey, Vault};
    match args.first().map(String::as_str) {
        Some("new") => Ok(DataKey::generate().to_hex()),
        Some("rotate") => {
            let key = config.data_key.clone().ok_or_else(|| {
                Refusal("rotate needs the new key as QUAN_DATA_KEY (or QUAN_DATA_KEY_FILE), and the old ones as QUAN_DATA_KEY_PREVIOUS".into())
            })?;
            let vault = Vault::new(key, &config.previous_data_keys);
            let db = Db::connect(&config.database_url, 2).await?;
            let done = crate::store::applications::reseal(&db, &vault, &config.uploads_dir)
                .await
                .map_err(|e| {
                    Refusal(format!(
                        "{e}: what was sealed again so far stays so; run it again"
                    ))
                })?;
            let words = format!(
                "sealed again under data key {}: {} applications, {} documents; the previous keys can now be dropped",
                vault.key_id(),
                done.applications,
                done.documents
            );
            audit::record(&db, act("data_key_rotate", &vault.key_id(), words.clone()), now).await?;
            Ok(words)
        }
        _ => Err(Refusal("quan-server data-key new | rotate".into())),
    }
}
