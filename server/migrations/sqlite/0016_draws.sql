-- 预约抽签: a round released by draw. `draws` holds each campaign day's seed, committed (its
-- SHA-256 published) when the day's sign-up opens and revealed once `drawn_at` is set;
-- `sign_ups` holds who signed up for which denomination, under a ticket (the pseudonym the
-- published list shows), and what the draw gave them: its place in the draw's order, and
-- 'won' with the coupon, 'not_drawn', or the code of the rule that refused it.
CREATE TABLE draws (
    campaign     TEXT NOT NULL,
    day          TEXT NOT NULL,
    seed         TEXT NOT NULL CHECK (length(seed) = 64),
    commitment   TEXT NOT NULL CHECK (length(commitment) = 64),
    committed_at INTEGER NOT NULL,
    drawn_at     INTEGER,
    PRIMARY KEY (campaign, day)
);
CREATE TABLE sign_ups (
    id           INTEGER PRIMARY KEY,
    campaign     TEXT NOT NULL,
    kind         TEXT NOT NULL,
    day          TEXT NOT NULL,
    resident_id  INTEGER NOT NULL REFERENCES residents (id),
    denomination INTEGER NOT NULL CHECK (denomination >= 0),
    ticket       TEXT NOT NULL UNIQUE,
    signed_up_at INTEGER NOT NULL,
    place        INTEGER,
    outcome      TEXT,
    coupon_id    INTEGER REFERENCES coupons (id),
    UNIQUE (campaign, kind, day, resident_id),
    FOREIGN KEY (campaign, day) REFERENCES draws (campaign, day)
);
CREATE INDEX sign_ups_by_resident ON sign_ups (resident_id, day);
