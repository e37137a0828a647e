-- A merchant can be suspended by the bureau for a while (moved, under inquiry) and resumed,
-- apart from the blacklist, which is market supervision's finding. Each keeps its reason.
ALTER TABLE merchants ADD COLUMN suspended INTEGER NOT NULL DEFAULT 0;
ALTER TABLE merchants ADD COLUMN suspension_reason TEXT NOT NULL DEFAULT '';
