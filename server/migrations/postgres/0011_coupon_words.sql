-- One word for one idea. A coupon's source is its kind's way of issuing coupons (core's
-- `Issuance`), and the ledger records its issue in the same word: a merchant's offer is
-- 'merchant' (it was stored as 'claim'), and a shop's issue is 'shop' in the ledger too (it was
-- 'issue'). A redeemed coupon whose life is over is 'closed' (it was 'settled', which is the
-- merchant's being paid), and its ledger event 'close' (it was 'settle').
ALTER TABLE coupons DROP CONSTRAINT coupons_source_check;
ALTER TABLE coupons DROP CONSTRAINT coupons_status_check;
UPDATE coupons SET source = 'merchant' WHERE merchant_id IS NOT NULL;
UPDATE coupons SET status = 'closed' WHERE status = 'settled';
ALTER TABLE coupons
    ADD CONSTRAINT coupons_source_check CHECK (source IN ('claim', 'allocate', 'shop', 'merchant')),
    ADD CONSTRAINT coupons_status_check
        CHECK (status IN ('held', 'redeemed', 'closed', 'expired', 'revoked')),
    ADD CONSTRAINT coupons_merchant_check CHECK ((source = 'merchant') = (merchant_id IS NOT NULL));

UPDATE ledger SET event = 'shop' WHERE event = 'issue';
UPDATE ledger SET event = 'merchant'
    WHERE event = 'claim' AND coupon_id IN (SELECT id FROM coupons WHERE source = 'merchant');
UPDATE ledger SET event = 'close' WHERE event = 'settle';
