-- Staff roles each with their own rights: the bureau's operators, the bank's reviewers, the audit
-- office's auditors, a shop's manager and its cashiers (the old 'merchant' staff are managers).
-- Accounts can be limited to one county, disabled, and locked after wrong passwords. SQLite
-- cannot change a CHECK in place, so the table is rebuilt, as SQLite's documented procedure has
-- it: migrations run with foreign keys off, and `Db::connect` checks every reference after.
CREATE TABLE accounts_new (
    id                   INTEGER PRIMARY KEY,
    username             TEXT NOT NULL UNIQUE,
    password_hash        TEXT NOT NULL,
    role                 TEXT NOT NULL CHECK (role IN ('operator', 'reviewer', 'auditor', 'merchant_manager', 'cashier')),
    merchant_id          INTEGER REFERENCES merchants (id),
    display_name         TEXT NOT NULL DEFAULT '',
    created_at           INTEGER NOT NULL,
    -- An operator limited to one county's campaigns; '' for all.
    county               TEXT NOT NULL DEFAULT '',
    disabled_at          INTEGER,
    must_change_password INTEGER NOT NULL DEFAULT 0,
    failed_sign_ins      INTEGER NOT NULL DEFAULT 0,
    locked_until         INTEGER NOT NULL DEFAULT 0,
    last_sign_in_at      INTEGER,
    last_sign_in_from    TEXT NOT NULL DEFAULT '',
    CHECK ((role IN ('merchant_manager', 'cashier')) = (merchant_id IS NOT NULL))
);
INSERT INTO accounts_new (id, username, password_hash, role, merchant_id, display_name, created_at)
    SELECT id, username, password_hash,
           CASE role WHEN 'merchant' THEN 'merchant_manager' ELSE role END,
           CASE role WHEN 'merchant' THEN merchant_id ELSE NULL END,
           display_name, created_at
    FROM accounts;
DROP TABLE accounts;
ALTER TABLE accounts_new RENAME TO accounts;

-- A staff session: the token names it, so signing out, disabling the account, or idling past
-- the role's limit ends it at once on every instance.
CREATE TABLE sessions (
    id           TEXT PRIMARY KEY,
    account_id   INTEGER NOT NULL REFERENCES accounts (id),
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    revoked_at   INTEGER,
    address      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_by_account ON sessions (account_id);

-- The audit trail: every privileged act, appended, each entry carrying the hash of the one
-- before it. `audit_head` holds the last entry's number and hash, and serialises appends.
CREATE TABLE audit_log (
    seq        INTEGER PRIMARY KEY,
    at         INTEGER NOT NULL,
    account_id INTEGER,
    actor      TEXT NOT NULL,
    role       TEXT NOT NULL,
    address    TEXT NOT NULL,
    action     TEXT NOT NULL,
    object     TEXT NOT NULL,
    result     TEXT NOT NULL,
    detail     TEXT NOT NULL,
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL
);
CREATE INDEX audit_log_by_time ON audit_log (at);
CREATE TRIGGER audit_log_append_only_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER audit_log_append_only_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  INTEGER NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '');
