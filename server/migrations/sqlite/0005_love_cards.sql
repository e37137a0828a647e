-- Printed love-coupon cards for people without a smartphone: the number on the card, the PIN's
-- HMAC (never the PIN), and the day's wrong tries.
CREATE TABLE love_cards (
    number       TEXT PRIMARY KEY,
    campaign     TEXT NOT NULL,
    resident_id  INTEGER NOT NULL REFERENCES residents (id),
    pin_mac      TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('active', 'revoked')),
    issued_at    INTEGER NOT NULL,
    revoked_at   INTEGER,
    failures     INTEGER NOT NULL DEFAULT 0,
    failures_day TEXT NOT NULL DEFAULT ''
);
CREATE INDEX love_cards_by_resident ON love_cards (resident_id, campaign, status);
