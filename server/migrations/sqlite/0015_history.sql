-- The campaign's history, as its report shows it. A reallocation is a revision of two kinds'
-- budgets: from now on it writes a campaign version too, and names it here (NULL for one made
-- before). Each turn of the overload switch, on or off, is kept in `busy_log` (`busy` holds only
-- the switch as it stands).
ALTER TABLE reallocations ADD COLUMN version INTEGER;
CREATE TABLE busy_log (
    id          INTEGER PRIMARY KEY,
    campaign    TEXT NOT NULL,
    at          INTEGER NOT NULL,
    -- The seconds residents were asked to wait; NULL when the switch was turned off.
    retry_after INTEGER CHECK (retry_after BETWEEN 5 AND 600),
    account_id  INTEGER NOT NULL REFERENCES accounts (id)
);
CREATE INDEX busy_log_by_campaign ON busy_log (campaign, at);
