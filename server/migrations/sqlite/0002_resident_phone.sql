-- The mobile number a resident signed in with (demo) or the host app vouched for: how shop staff
-- find the customer they issue a coupon to. Empty when unknown.
ALTER TABLE residents ADD COLUMN phone TEXT NOT NULL DEFAULT '';
CREATE INDEX residents_by_phone ON residents (phone);
