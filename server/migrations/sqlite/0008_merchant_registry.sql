-- The merchant registry: a merchant is known by its unified social credit code (统一社会信用代码),
-- so that importing the county's list again updates each merchant instead of adding it twice.
-- Merchants made before the registry (and demo merchants) have none.
ALTER TABLE merchants ADD COLUMN credit_code TEXT;
ALTER TABLE merchants ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE merchants ADD COLUMN contact TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX merchants_by_credit_code ON merchants (credit_code);
