-- When the unmatched retry next tries a parked record; records parked before it are due at once.
ALTER TABLE parked_record ADD COLUMN next_attempt_at TIMESTAMP WITH TIME ZONE;
UPDATE parked_record SET next_attempt_at = last_seen;
ALTER TABLE parked_record ALTER COLUMN next_attempt_at SET NOT NULL;
CREATE INDEX parked_record_due ON parked_record (status, next_attempt_at);
