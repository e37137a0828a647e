//! Love-coupon cards, for people on the love-coupon list who have no smartphone: a printed card
//! with a number (and its QR) and a PIN the holder keeps. At the till the card stands in for the
//! wallet: number and PIN find the holder's love coupons, and one is redeemed per order through
//! the same path as a wallet's code. A lost card is revoked and a new one issued; the coupons
//! left stay the holder's, so the new card carries what was left. PINs are kept only as an HMAC
//! under a key derived from the master secret; five wrong PINs in a day lock the card that day.

use hmac::{Hmac, Mac};
use quan_core::api::{CardView, PrintedCard};
use quan_core::code::{self, CouponKey};
use quan_core::{ErrorCode, Fen, ResidentId, Timestamp};
use rand::Rng;
use sha2::Sha256;

use super::coupons::{CouponRow, COLUMNS};
use crate::db::{col, Db};
use crate::error::AppError;

/// Wrong PINs a card takes in a China day before it locks until the next.
pub const PIN_TRIES: i64 = 5;

/// The HMAC of a card's PIN (with its number, so equal PINs differ).
fn pin_mac(key: &[u8], number: &str, pin: &str) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key) else {
        return String::new();
    };
    mac.update(number.as_bytes());
    mac.update(b":");
    mac.update(pin.as_bytes());
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A fresh card number: 15 random digits and a Luhn check digit.
fn new_number() -> String {
    let mut rng = rand::thread_rng();
    let body: String = (0..15)
        .map(|_| char::from(b'0' + rng.gen_range(0..10u8)))
        .collect();
    format!("{body}{}", code::luhn_check_digit(&body))
}

/// Whether `text` is a card number (16 digits with a valid check digit).
pub fn is_card_number(text: &str) -> bool {
    text.len() == 16
        && text.bytes().all(|b| b.is_ascii_digit())
        && text[15..].parse::<u8>().ok() == Some(code::luhn_check_digit(&text[..15]))
}

/// Value left on a resident's love coupons of a campaign (held, unexpired).
pub async fn left(db: &Db, campaign: &str, resident: i64, now: Timestamp) -> Result<(u64, Fen), AppError> {
    let row = sqlx::query(
        "SELECT CAST(COUNT(*) AS BIGINT) AS n, CAST(COALESCE(SUM(value), 0) AS BIGINT) AS v FROM coupons \
         WHERE campaign = $1 AND resident_id = $2 AND source = 'allocate' AND status = 'held' AND expires_at >= $3",
    )
    .bind(campaign)
    .bind(resident)
    .bind(now.millis())
    .fetch_one(&db.pool)
    .await?;
    Ok((
        u64::try_from(col::<i64>(&row, "n")?).unwrap_or(0),
        Fen(col(&row, "v")?),
    ))
}

async fn print_one(
    db: &Db,
    pin_key: &[u8],
    campaign: &str,
    resident: i64,
    holder: &str,
    now: Timestamp,
) -> Result<PrintedCard, AppError> {
    let number = new_number();
    let pin = format!("{:06}", rand::thread_rng().gen_range(0..1_000_000));
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO love_cards (number, campaign, resident_id, pin_mac, status, issued_at) VALUES ($1, $2, $3, $4, 'active', $5)",
    )
    .bind(&number)
    .bind(campaign)
    .bind(resident)
    .bind(pin_mac(pin_key, &number, &pin))
    .bind(now.millis())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    let (coupons, value) = left(db, campaign, resident, now).await?;
    Ok(PrintedCard {
        number,
        pin,
        holder: holder.to_owned(),
        coupons,
        value,
    })
}

/// A card for everyone on the campaign's love-coupon list who has no active card yet.
pub async fn print_all(
    db: &Db,
    pin_key: &[u8],
    campaign: &str,
    now: Timestamp,
) -> Result<Vec<PrintedCard>, AppError> {
    let rows = sqlx::query(
        "SELECT DISTINCT l.resident_id, r.name FROM allocation_list l JOIN residents r ON r.id = l.resident_id \
         WHERE l.campaign = $1 AND NOT EXISTS \
         (SELECT 1 FROM love_cards c WHERE c.resident_id = l.resident_id AND c.campaign = $1 AND c.status = 'active') \
         ORDER BY l.resident_id",
    )
    .bind(campaign)
    .fetch_all(&db.pool)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in &rows {
        let resident: i64 = col(row, "resident_id")?;
        let name: String = col(row, "name")?;
        out.push(print_one(db, pin_key, campaign, resident, &name, now).await?);
    }
    Ok(out)
}

/// The campaign's cards, without their PINs.
pub async fn list(db: &Db, campaign: &str, now: Timestamp) -> Result<Vec<CardView>, AppError> {
    // Each card with what its holder has left, in one query (the list runs to the whole county's).
    let rows = sqlx::query(
        "SELECT c.number, c.status, r.name, CAST(COUNT(k.id) AS BIGINT) AS n, \
                CAST(COALESCE(SUM(k.value), 0) AS BIGINT) AS v \
         FROM love_cards c JOIN residents r ON r.id = c.resident_id \
         LEFT JOIN coupons k ON k.resident_id = c.resident_id AND k.campaign = c.campaign \
              AND k.source = 'allocate' AND k.status = 'held' AND k.expires_at >= $2 \
         WHERE c.campaign = $1 GROUP BY c.number, c.status, r.name, c.issued_at ORDER BY c.issued_at, c.number",
    )
    .bind(campaign)
    .bind(now.millis())
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(CardView {
                number: col(row, "number")?,
                holder: col(row, "name")?,
                active: col::<String>(row, "status")? == "active",
                coupons: u64::try_from(col::<i64>(row, "n")?).unwrap_or(0),
                value: Fen(col(row, "v")?),
            })
        })
        .collect()
}

/// Revokes a lost card and issues its holder a new one, which carries what was left; if `may`
/// the card's campaign (an operator of another county may not, and is told of no such card).
pub async fn replace(
    db: &Db,
    pin_key: &[u8],
    number: &str,
    may: impl Fn(&str) -> bool,
    now: Timestamp,
) -> Result<PrintedCard, AppError> {
    let mut tx = db.begin_write().await?;
    let row = sqlx::query(
        "SELECT c.campaign, c.resident_id, r.name FROM love_cards c JOIN residents r ON r.id = c.resident_id \
         WHERE c.number = $1 AND c.status = 'active'",
    )
    .bind(number)
    .fetch_optional(&mut *tx)
    .await?
    .filter(|row| col::<String>(row, "campaign").is_ok_and(|c| may(&c)))
    .ok_or_else(|| AppError::new(ErrorCode::NotFound, "no active card has this number"))?;
    sqlx::query("UPDATE love_cards SET status = 'revoked', revoked_at = $1 WHERE number = $2")
        .bind(now.millis())
        .bind(number)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    let campaign: String = col(&row, "campaign")?;
    let name: String = col(&row, "name")?;
    print_one(db, pin_key, &campaign, col(&row, "resident_id")?, &name, now).await
}

/// The holder of an active card whose PIN is right, or why not. Wrong PINs count; the sixth try
/// of a day is refused whatever it says.
pub async fn open(
    db: &Db,
    pin_key: &[u8],
    number: &str,
    pin: &str,
    now: Timestamp,
) -> Result<(String, ResidentId), AppError> {
    let not_found = || AppError::new(ErrorCode::CodeInvalid, "no active card has this number");
    if !is_card_number(number) {
        return Err(not_found());
    }
    let today = now.china_date().to_string();
    // Each try takes one of the day's tries first, in one conditional update (atomic on both
    // databases: the row is locked while it is written), and only then is the PIN compared. So
    // however many tries come at once, no more than PIN_TRIES PINs are ever compared in a day. A
    // right PIN gives its try back.
    let mut tx = db.begin_write().await?;
    let row = sqlx::query(
        "UPDATE love_cards SET \
             failures = CASE WHEN failures_day = $2 THEN failures + 1 ELSE 1 END, failures_day = $2 \
         WHERE number = $1 AND status = 'active' AND (failures_day <> $2 OR failures < $3) \
         RETURNING campaign, resident_id, pin_mac, failures",
    )
    .bind(number)
    .bind(&today)
    .bind(PIN_TRIES)
    .fetch_optional(&mut *tx)
    .await?;
    tx.commit().await?;
    let Some(row) = row else {
        let active = sqlx::query("SELECT 1 AS one FROM love_cards WHERE number = $1 AND status = 'active'")
            .bind(number)
            .fetch_optional(&db.pool)
            .await?;
        return Err(match active {
            Some(_) => AppError::new(
                ErrorCode::Forbidden,
                "too many wrong PINs today: the card opens again tomorrow",
            ),
            None => not_found(),
        });
    };
    let tried: i64 = col(&row, "failures")?;
    let stored: String = col(&row, "pin_mac")?;
    if !crate::auth::constant_time_eq(pin_mac(pin_key, number, pin.trim()).as_bytes(), stored.as_bytes()) {
        return Err(AppError::new(
            ErrorCode::Unauthorized,
            format!("wrong PIN ({} tries left today)", (PIN_TRIES - tried).max(0)),
        ));
    }
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "UPDATE love_cards SET failures = failures - 1 WHERE number = $1 AND failures_day = $2 AND failures > 0",
    )
    .bind(number)
    .bind(&today)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok((col(&row, "campaign")?, ResidentId(col(&row, "resident_id")?)))
}

/// The code a till would read from the holder's wallet, for the love coupon that expires first:
/// the card's redemption goes through the wallet's path.
pub async fn code_for(
    db: &Db,
    coupon_master: &[u8],
    campaign: &str,
    resident: ResidentId,
    now: Timestamp,
) -> Result<(String, CouponRow), AppError> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM coupons WHERE campaign = $1 AND resident_id = $2 AND source = 'allocate' \
         AND status = 'held' AND expires_at >= $3 ORDER BY expires_at, id LIMIT 1"
    ))
    .bind(campaign)
    .bind(resident.0)
    .bind(now.millis())
    .fetch_optional(&db.pool)
    .await?
    .ok_or_else(|| AppError::new(ErrorCode::AlreadyRedeemed, "nothing is left on this card"))?;
    let coupon = CouponRow::read(&row)?;
    let key = CouponKey::derive(coupon_master, coupon.id);
    let shown = code::generate(&key, coupon.id, now, coupon.expires_at)
        .ok_or_else(|| AppError::new(ErrorCode::CodeExpired, "the card's coupons have expired"))?;
    Ok((shown.digits().to_owned(), coupon))
}

/// The card holder's name as the list gave it.
pub async fn holder(db: &Db, resident: ResidentId) -> Result<String, AppError> {
    let row = sqlx::query("SELECT name FROM residents WHERE id = $1")
        .bind(resident.0)
        .fetch_one(&db.pool)
        .await?;
    col(&row, "name").map_err(AppError::internal)
}
