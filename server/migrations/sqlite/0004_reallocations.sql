-- Budget moved between kinds of a campaign by the bureau, with who, when and why.
CREATE TABLE reallocations (
    id         INTEGER PRIMARY KEY,
    at         INTEGER NOT NULL,
    campaign   TEXT NOT NULL,
    from_kind  TEXT NOT NULL,
    to_kind    TEXT NOT NULL,
    amount     INTEGER NOT NULL CHECK (amount > 0),
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    reason     TEXT NOT NULL
);
