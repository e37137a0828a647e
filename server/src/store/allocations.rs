//! Allocated coupons: the county's list of people in hardship receives love coupons without a
//! claim. The list arrives as CSV of ID numbers; a person listed twice is allocated once.

use quan_core::campaign::{Campaign, Issuance, Kind};
use quan_core::report::LedgerEvent;
use quan_core::rules::{claim_delta, coupon_expiry};
use quan_core::{ErrorCode, Fen, Timestamp};
use sha2::{Digest, Sha256};

use super::ledger::{self, Entry};
use super::pools;
use crate::db::{col, Db};
use crate::error::AppError;

pub use quan_core::api::AllocationReport;

/// The resident subject of a real-name person: the hex SHA-256 of their ID number. Host apps
/// put the same in their token's `sub`, so the list and the wallet meet in one resident.
pub fn subject_of_id_number(id: &str) -> String {
    let digest = Sha256::digest(id.trim().to_ascii_uppercase().as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("id:{hex}")
}

/// Whether `id` is a well-formed resident ID number (GB 11643: 17 digits and a check character).
pub fn id_number_ok(id: &str) -> bool {
    let b = id.as_bytes();
    if b.len() != 18 || !b[..17].iter().all(u8::is_ascii_digit) {
        return false;
    }
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = b[..17]
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    let check = b"10X98765432"[(sum % 11) as usize];
    b[17].to_ascii_uppercase() == check
}

pub async fn import(
    db: &Db,
    campaign: &Campaign,
    kind: &Kind,
    csv: &str,
    now: Timestamp,
) -> Result<AllocationReport, AppError> {
    if kind.issuance != Issuance::Allocate {
        return Err(AppError::new(
            ErrorCode::InvalidRequest,
            "this kind is not allocated from a list",
        ));
    }
    let (Some(den), Some(alloc)) = (kind.denominations.first(), kind.allocation) else {
        return Err(AppError::new(
            ErrorCode::InvalidRequest,
            "this kind has no allocation rule",
        ));
    };
    let mut report = AllocationReport::default();
    let mut people = Vec::new();
    for (i, line) in csv.lines().enumerate() {
        let line = line.trim().trim_start_matches('\u{feff}');
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut fields = line.split(',').map(str::trim);
        let id = fields.next().unwrap_or_default();
        let name = fields.next().unwrap_or_default();
        if i == 0 && !id.bytes().any(|b| b.is_ascii_digit()) {
            continue; // a header line
        }
        if !id_number_ok(id) {
            report
                .refused
                .push((i + 1, format!("'{id}' is not a valid ID number")));
            continue;
        }
        people.push((subject_of_id_number(id), name.to_owned()));
    }
    let per_person = Fen(den.off.0 * i64::from(alloc.coupons_per_person));
    let expires = coupon_expiry(campaign, kind, now);
    let mut tx = db.begin_write().await?;
    let pool = sqlx::query(&format!(
        "SELECT available FROM pools WHERE campaign = $1 AND kind = $2 AND round = 0{}",
        db.dialect.for_update()
    ))
    .bind(campaign.id.as_str())
    .bind(kind.id.as_str())
    .fetch_optional(&mut *tx)
    .await?;
    let mut available = match pool {
        Some(r) => Fen(col(&r, "available")?),
        None => Fen::ZERO,
    };
    for (line, (subject, name)) in people.into_iter().enumerate() {
        sqlx::query(
            "INSERT INTO residents (subject, name, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        )
        .bind(&subject)
        .bind(&name)
        .bind(now.millis())
        .execute(&mut *tx)
        .await?;
        let resident: i64 = sqlx::query("SELECT id FROM residents WHERE subject = $1")
            .bind(&subject)
            .fetch_one(&mut *tx)
            .await
            .map_err(AppError::internal)
            .and_then(|r| col(&r, "id").map_err(AppError::internal))?;
        if available < per_person {
            report
                .refused
                .push((line + 1, "the kind's budget is used up".into()));
            continue;
        }
        let listed = sqlx::query(
            "INSERT INTO allocation_list (campaign, kind, subject, resident_id, allocated_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
        )
        .bind(campaign.id.as_str())
        .bind(kind.id.as_str())
        .bind(&subject)
        .bind(resident)
        .bind(now.millis())
        .execute(&mut *tx)
        .await?;
        if listed.rows_affected() == 0 {
            report.already_listed += 1;
            continue;
        }
        for _ in 0..alloc.coupons_per_person {
            let row = sqlx::query(
                "INSERT INTO coupons (campaign, kind, denomination, round, resident_id, source, day, value, threshold, \
                 rate_bp, status, given, claimed_at, expires_at) \
                 VALUES ($1, $2, 0, 0, $3, $4, $5, $6, $7, 0, 'held', 0, $8, $9) RETURNING id",
            )
            .bind(campaign.id.as_str())
            .bind(kind.id.as_str())
            .bind(resident)
            .bind(Issuance::Allocate.as_str())
            .bind(now.china_date().to_string())
            .bind(den.off.0)
            .bind(den.threshold.0)
            .bind(now.millis())
            .bind(expires.millis())
            .fetch_one(&mut *tx)
            .await?;
            let coupon: i64 = col(&row, "id")?;
            ledger::record(
                &mut tx,
                &Entry {
                    at: now,
                    event: LedgerEvent::Issue(Issuance::Allocate),
                    campaign: campaign.id.as_str(),
                    kind: kind.id.as_str(),
                    round: 0,
                    coupon,
                    resident,
                    amount: den.off,
                    order: Fen::ZERO,
                    merchant: None,
                    redemption: None,
                },
            )
            .await?;
        }
        available -= per_person;
        report.amount += per_person;
        report.allocated += 1;
    }
    pools::apply(
        &mut tx,
        campaign.id.as_str(),
        kind.id.as_str(),
        0,
        claim_delta(report.amount),
    )
    .await?;
    tx.commit().await?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_numbers_are_checked() {
        assert!(id_number_ok("11010519491231002X"));
        assert!(id_number_ok("11010519491231002x"));
        assert!(!id_number_ok("110105194912310021"));
        assert!(!id_number_ok("1101051949123100"));
        assert!(!id_number_ok("A1010519491231002X"));
        assert_eq!(
            subject_of_id_number("11010519491231002x"),
            subject_of_id_number(" 11010519491231002X")
        );
    }
}
