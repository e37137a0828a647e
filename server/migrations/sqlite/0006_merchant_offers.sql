-- Coupons a listed merchant sets up (Jishan's four treasures) at the campaign's rate: residents
-- claim them until the quantity is gone, and they redeem only at that merchant.
ALTER TABLE coupons ADD COLUMN merchant_id INTEGER;
CREATE TABLE merchant_offers (
    id          INTEGER PRIMARY KEY,
    campaign    TEXT NOT NULL,
    kind        TEXT NOT NULL,
    merchant_id INTEGER NOT NULL REFERENCES merchants (id),
    threshold   INTEGER NOT NULL CHECK (threshold > 0),
    off         INTEGER NOT NULL CHECK (off > 0),
    quantity    INTEGER NOT NULL CHECK (quantity > 0),
    claimed     INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL,
    CHECK (claimed <= quantity)
);
CREATE INDEX merchant_offers_by_campaign ON merchant_offers (campaign, kind);
