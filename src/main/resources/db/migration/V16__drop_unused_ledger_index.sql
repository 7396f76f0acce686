-- No query reads the ledger by target_id (it is written for the record only), yet each activity the ledger records
-- updated this index too: one of the four indexes every recorded activity touches, on the table that grows fastest.
DROP INDEX IF EXISTS event_ledger_target;
