-- Each queueing of a record bumps its version; the summary writer removes an entry only at the version it
-- computed, so an activity queued while the summary was being written keeps the entry for the next flush.
ALTER TABLE summary_pending ADD COLUMN version BIGINT DEFAULT 0 NOT NULL;
