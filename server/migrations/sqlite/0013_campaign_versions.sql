-- The campaigns as they run: each version of each campaign, the first from its seed file in
-- server/campaigns/, each later one a revision the bureau confirmed (a file uploaded, a round
-- scheduled in the console, `quan-server campaigns apply`). The latest version of a campaign is
-- the one every instance runs; each instance looks for a newer one every quarter second.
CREATE TABLE campaign_versions (
    campaign   TEXT NOT NULL,
    version    INTEGER NOT NULL CHECK (version >= 1),
    -- The campaign as the rules read it: JSON, money in yuan as campaign files write it.
    body       TEXT NOT NULL,
    -- The file as the bureau gave it, comments and all, where there was one.
    file       TEXT,
    -- What the version changed from the one before, as JSON (quan_core::revision::Change).
    changes    TEXT NOT NULL,
    reason     TEXT NOT NULL DEFAULT '',
    at         INTEGER NOT NULL,
    -- Who confirmed it; NULL for a seed, and for the command line on the server.
    account_id INTEGER REFERENCES accounts (id),
    PRIMARY KEY (campaign, version)
);
