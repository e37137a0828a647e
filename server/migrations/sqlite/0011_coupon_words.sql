-- One word for one idea. A coupon's source is its kind's way of issuing coupons (core's
-- `Issuance`), and the ledger records its issue in the same word: a merchant's offer is
-- 'merchant' (it was stored as 'claim'), and a shop's issue is 'shop' in the ledger too (it was
-- 'issue'). A redeemed coupon whose life is over is 'closed' (it was 'settled', which is the
-- merchant's being paid), and its ledger event 'close' (it was 'settle'). SQLite cannot change
-- a CHECK in place, so the table is rebuilt, as SQLite's documented procedure has it: migrations
-- run with foreign keys off, and `Db::connect` checks every reference after.
CREATE TABLE coupons_new (
    id           INTEGER PRIMARY KEY,
    campaign     TEXT NOT NULL,
    kind         TEXT NOT NULL,
    denomination INTEGER NOT NULL,
    round        INTEGER NOT NULL,
    resident_id  INTEGER NOT NULL REFERENCES residents (id),
    source       TEXT NOT NULL CHECK (source IN ('claim', 'allocate', 'shop', 'merchant')),
    day          TEXT NOT NULL,               -- China date of the claim or allocation
    value        INTEGER NOT NULL CHECK (value > 0),
    threshold    INTEGER NOT NULL,
    rate_bp      INTEGER NOT NULL DEFAULT 0,  -- 0 for a threshold-off coupon
    status       TEXT NOT NULL CHECK (status IN ('held', 'redeemed', 'closed', 'expired', 'revoked')),
    given        INTEGER NOT NULL DEFAULT 0,
    claimed_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    merchant_id  INTEGER,                     -- the one merchant of a merchant's offer
    CHECK (given >= 0 AND given <= value),
    CHECK ((source = 'merchant') = (merchant_id IS NOT NULL))
);
INSERT INTO coupons_new (id, campaign, kind, denomination, round, resident_id, source, day, value,
                         threshold, rate_bp, status, given, claimed_at, expires_at, merchant_id)
    SELECT id, campaign, kind, denomination, round, resident_id,
           CASE WHEN merchant_id IS NOT NULL THEN 'merchant' ELSE source END,
           day, value, threshold, rate_bp,
           CASE status WHEN 'settled' THEN 'closed' ELSE status END,
           given, claimed_at, expires_at, merchant_id
    FROM coupons;
DROP TABLE coupons;
ALTER TABLE coupons_new RENAME TO coupons;
CREATE INDEX coupons_by_resident ON coupons (resident_id, claimed_at);
CREATE INDEX coupons_to_expire ON coupons (status, expires_at);

UPDATE ledger SET event = 'shop' WHERE event = 'issue';
UPDATE ledger SET event = 'merchant'
    WHERE event = 'claim' AND coupon_id IN (SELECT id FROM coupons WHERE source = 'merchant');
UPDATE ledger SET event = 'close' WHERE event = 'settle';
