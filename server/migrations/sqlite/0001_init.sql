-- Money is integer fen; instants are milliseconds since the epoch (UTC); days are China dates
-- written YYYY-MM-DD.

CREATE TABLE settings (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- One real-name person, however many accounts or devices.
CREATE TABLE residents (
    id         INTEGER PRIMARY KEY,
    subject    TEXT NOT NULL UNIQUE,      -- the host's stable id for the person, or demo:<phone>
    name       TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
);

CREATE TABLE merchants (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    category    TEXT NOT NULL,
    county      TEXT NOT NULL DEFAULT '',
    blacklisted INTEGER NOT NULL DEFAULT 0,
    blacklist_reason TEXT NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL
);

-- Merchant staff and operators sign in with a name and a password (argon2).
CREATE TABLE accounts (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('merchant', 'operator', 'reviewer')),
    merchant_id   INTEGER REFERENCES merchants (id),
    display_name  TEXT NOT NULL DEFAULT '',
    created_at    INTEGER NOT NULL
);

-- A kind's budget in one round (round 0: what no round gives out), as accounts:
-- budget = available + held + redeemed at every instant.
CREATE TABLE pools (
    campaign  TEXT NOT NULL,
    kind      TEXT NOT NULL,
    round     INTEGER NOT NULL,
    budget    INTEGER NOT NULL,
    available INTEGER NOT NULL CHECK (available >= 0),
    held      INTEGER NOT NULL CHECK (held >= 0),
    redeemed  INTEGER NOT NULL CHECK (redeemed >= 0),
    PRIMARY KEY (campaign, kind, round),
    CHECK (available + held + redeemed = budget)
);

-- Each day's release of a kind: what was offered at the release time and what has been claimed.
CREATE TABLE releases (
    campaign TEXT NOT NULL,
    kind     TEXT NOT NULL,
    day      TEXT NOT NULL,
    round    INTEGER NOT NULL,
    released INTEGER NOT NULL,
    claimed  INTEGER NOT NULL DEFAULT 0,
    opened   INTEGER NOT NULL DEFAULT 0,     -- 0 until the release amount is decided
    PRIMARY KEY (campaign, kind, day),
    CHECK (claimed >= 0 AND claimed <= released)
);

CREATE TABLE coupons (
    id           INTEGER PRIMARY KEY,
    campaign     TEXT NOT NULL,
    kind         TEXT NOT NULL,
    denomination INTEGER NOT NULL,
    round        INTEGER NOT NULL,
    resident_id  INTEGER NOT NULL REFERENCES residents (id),
    source       TEXT NOT NULL CHECK (source IN ('claim', 'allocate', 'shop')),
    day          TEXT NOT NULL,               -- China date of the claim or allocation
    value        INTEGER NOT NULL CHECK (value > 0),
    threshold    INTEGER NOT NULL,
    rate_bp      INTEGER NOT NULL DEFAULT 0,  -- 0 for a threshold-off coupon
    status       TEXT NOT NULL CHECK (status IN ('held', 'redeemed', 'settled', 'expired', 'revoked')),
    given        INTEGER NOT NULL DEFAULT 0,
    claimed_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    CHECK (given >= 0 AND given <= value)
);
CREATE INDEX coupons_by_resident ON coupons (resident_id, claimed_at);
CREATE INDEX coupons_to_expire ON coupons (status, expires_at);

-- Per-resident limits, enforced by the database: each claim takes a numbered slot in every
-- scope that limits it (slot 1 ..= limit), and a slot can be taken once.
CREATE TABLE limit_slots (
    resident_id INTEGER NOT NULL,
    campaign    TEXT NOT NULL,
    kind        TEXT NOT NULL,
    scope       TEXT NOT NULL,
    slot        INTEGER NOT NULL CHECK (slot >= 1),
    coupon_id   INTEGER NOT NULL,
    PRIMARY KEY (resident_id, campaign, kind, scope, slot)
);
CREATE INDEX limit_slots_by_coupon ON limit_slots (coupon_id);

CREATE TABLE redemptions (
    id           INTEGER PRIMARY KEY,
    coupon_id    INTEGER NOT NULL REFERENCES coupons (id),
    merchant_id  INTEGER NOT NULL REFERENCES merchants (id),
    account_id   INTEGER NOT NULL REFERENCES accounts (id),
    order_amount INTEGER NOT NULL CHECK (order_amount > 0),
    discount     INTEGER NOT NULL CHECK (discount > 0),
    at           INTEGER NOT NULL,
    day          TEXT NOT NULL,
    reversed_at  INTEGER,
    reversed_by  INTEGER REFERENCES accounts (id)
);
-- Exactly once: a coupon has at most one redemption that is not reversed.
CREATE UNIQUE INDEX redemptions_one_live ON redemptions (coupon_id) WHERE reversed_at IS NULL;
CREATE INDEX redemptions_by_merchant_day ON redemptions (merchant_id, day);

-- Every claim, allocation, redemption, reversal, expiry and settlement, as it happened: the
-- report and the audit sample are drawn from here.
CREATE TABLE ledger (
    id           INTEGER PRIMARY KEY,
    at           INTEGER NOT NULL,
    event        TEXT NOT NULL,
    campaign     TEXT NOT NULL,
    kind         TEXT NOT NULL,
    round        INTEGER NOT NULL,
    coupon_id    INTEGER NOT NULL,
    resident_id  INTEGER NOT NULL,
    amount       INTEGER NOT NULL,            -- the money that moved
    order_amount INTEGER NOT NULL DEFAULT 0,
    merchant_id  INTEGER,
    redemption_id INTEGER
);
CREATE INDEX ledger_by_campaign ON ledger (campaign, at);

-- Idempotency-Key: the first result of a state-changing call, replayed for a retry.
CREATE TABLE idempotency (
    owner        TEXT NOT NULL,               -- who called: r:<resident>, a:<account>
    key          TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status       INTEGER NOT NULL,
    body         TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (owner, key)
);

-- The love-coupon list: people registered by the county, allocated coupons without a claim.
CREATE TABLE allocation_list (
    campaign    TEXT NOT NULL,
    kind        TEXT NOT NULL,
    subject     TEXT NOT NULL,
    resident_id INTEGER NOT NULL REFERENCES residents (id),
    allocated_at INTEGER NOT NULL,
    PRIMARY KEY (campaign, kind, subject)
);
