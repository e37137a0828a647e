-- The overload switch: while a campaign has a row here, its claims are answered "try again in
-- retry_after seconds" (503, Retry-After) before they queue, and the claim page counts down to
-- the next try; tills keep redeeming. Every instance reads the switch every quarter second.
CREATE TABLE busy (
    campaign    TEXT PRIMARY KEY,
    retry_after BIGINT NOT NULL CHECK (retry_after BETWEEN 5 AND 600),
    since       BIGINT NOT NULL,
    account_id  BIGINT NOT NULL REFERENCES accounts (id)
);
