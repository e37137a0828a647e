-- The bureau pauses part of a running campaign and resumes it, without a restart: claims of one
-- kind ('kind', target the kind), all of a campaign's claims ('claims', no target), or
-- redemptions in one merchant category ('category', target the category). A pause is live until
-- resumed; at most one live pause per campaign, scope and target. Every instance reads them in
-- the transaction that claims or redeems, so a pause holds on all of them at once.
CREATE TABLE pauses (
    id         INTEGER PRIMARY KEY,
    campaign   TEXT NOT NULL,
    scope      TEXT NOT NULL CHECK (scope IN ('claims', 'kind', 'category')),
    target     TEXT NOT NULL DEFAULT '',
    reason     TEXT NOT NULL,
    paused_at  INTEGER NOT NULL,
    paused_by  INTEGER NOT NULL REFERENCES accounts (id),
    resumed_at INTEGER,
    resumed_by INTEGER REFERENCES accounts (id),
    CHECK ((scope = 'claims') = (target = ''))
);
CREATE UNIQUE INDEX pauses_one_live ON pauses (campaign, scope, target) WHERE resumed_at IS NULL;
