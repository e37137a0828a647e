-- Car-purchase subsidy applications (Jishan): the form, its documents (files kept outside the
-- database, named and checked by their SHA-256), every reviewer's action, and each subsidy's
-- budget, reserved on approval and paid after.
CREATE TABLE applications (
    id             INTEGER PRIMARY KEY,
    campaign       TEXT NOT NULL,
    subsidy        TEXT NOT NULL,
    resident_id    INTEGER NOT NULL REFERENCES residents (id),
    created_at     INTEGER NOT NULL,
    submitted_at   INTEGER,
    invoice_amount INTEGER NOT NULL CHECK (invoice_amount > 0),
    invoice_date   TEXT NOT NULL,
    vehicle        TEXT NOT NULL CHECK (vehicle IN ('new_energy', 'fuel')),
    dealer_id      INTEGER NOT NULL REFERENCES merchants (id),
    bank_card      TEXT NOT NULL,
    phone          TEXT NOT NULL,
    expected       INTEGER NOT NULL,
    granted        INTEGER NOT NULL DEFAULT 0,
    status         TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'under_review', 'approved', 'rejected', 'paid')),
    reason         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX applications_queue ON applications (campaign, status, submitted_at);
CREATE INDEX applications_by_resident ON applications (resident_id);

CREATE TABLE documents (
    application_id INTEGER NOT NULL REFERENCES applications (id),
    role           TEXT NOT NULL CHECK (role IN ('id_card', 'bank_card', 'invoice', 'licence')),
    sha256         TEXT NOT NULL,
    media_type     TEXT NOT NULL,
    bytes          INTEGER NOT NULL,
    uploaded_at    INTEGER NOT NULL,
    PRIMARY KEY (application_id, role)
);

CREATE TABLE review_log (
    id             INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES applications (id),
    at             INTEGER NOT NULL,
    account_id     INTEGER NOT NULL REFERENCES accounts (id),
    action         TEXT NOT NULL,
    reason         TEXT NOT NULL DEFAULT '',
    amount         INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE subsidy_budgets (
    campaign TEXT NOT NULL,
    subsidy  TEXT NOT NULL,
    budget   INTEGER NOT NULL,
    reserved INTEGER NOT NULL CHECK (reserved >= 0),
    paid     INTEGER NOT NULL CHECK (paid >= 0),
    PRIMARY KEY (campaign, subsidy),
    CHECK (reserved + paid <= budget)
);
