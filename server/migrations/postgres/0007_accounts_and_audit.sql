-- Staff roles each with their own rights: the bureau's operators, the bank's reviewers, the audit
-- office's auditors, a shop's manager and its cashiers (the old 'merchant' staff are managers).
-- Accounts can be limited to one county, disabled, and locked after wrong passwords.
ALTER TABLE accounts DROP CONSTRAINT accounts_role_check;
UPDATE accounts SET role = 'merchant_manager' WHERE role = 'merchant';
UPDATE accounts SET merchant_id = NULL WHERE role <> 'merchant_manager';
ALTER TABLE accounts
    ADD CONSTRAINT accounts_role_check
        CHECK (role IN ('operator', 'reviewer', 'auditor', 'merchant_manager', 'cashier')),
    ADD CONSTRAINT accounts_shop_check
        CHECK ((role IN ('merchant_manager', 'cashier')) = (merchant_id IS NOT NULL)),
    -- An operator limited to one county's campaigns; '' for all.
    ADD COLUMN county               TEXT NOT NULL DEFAULT '',
    ADD COLUMN disabled_at          BIGINT,
    ADD COLUMN must_change_password BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN failed_sign_ins      BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN locked_until         BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN last_sign_in_at      BIGINT,
    ADD COLUMN last_sign_in_from    TEXT NOT NULL DEFAULT '';

-- A staff session: the token names it, so signing out, disabling the account, or idling past
-- the role's limit ends it at once on every instance.
CREATE TABLE sessions (
    id           TEXT PRIMARY KEY,
    account_id   BIGINT NOT NULL REFERENCES accounts (id),
    created_at   BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    revoked_at   BIGINT,
    address      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_by_account ON sessions (account_id);

-- The audit trail: every privileged act, appended, each entry carrying the hash of the one
-- before it. `audit_head` holds the last entry's number and hash, and serialises appends.
CREATE TABLE audit_log (
    seq        BIGINT PRIMARY KEY,
    at         BIGINT NOT NULL,
    account_id BIGINT,
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
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only';
END;
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TABLE audit_head (
    id   BIGINT PRIMARY KEY CHECK (id = 1),
    seq  BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '');
