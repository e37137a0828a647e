-- Applicants' bank-card and phone numbers are sealed with the data key (AES-256-GCM) from now
-- on; lists show them masked, from these columns, so a list never needs the key. Rows written
-- before keep their plain values until `quan-server data-key rotate` seals them.
ALTER TABLE applications ADD COLUMN bank_card_masked TEXT NOT NULL DEFAULT '';
ALTER TABLE applications ADD COLUMN phone_masked TEXT NOT NULL DEFAULT '';
UPDATE applications SET
    bank_card_masked = left(bank_card, 4) || ' **** **** ' || right(bank_card, 4),
    phone_masked = left(phone, 3) || '****' || substr(phone, 8);
