-- Two indexes that every recorded activity kept up to date, for reads that other keys now serve:
--   event_ledger_account  (account_id, occurred_at) was read only for the first, partial day of an Account's 30-day
--                         roll-up; that day is now read through the Account's people (account_person, whose newest
--                         activity there is on or after the window's start) and the ledger's subject index, plus the
--                         ledger's activities without a person (subject_id IS NULL, on the same index)
--   account_person_last   (account_id, last_at) moved with every newer activity of a person at an Account; the primary
--                         key (account_id, subject_id) finds an Account's people as well
DROP INDEX IF EXISTS event_ledger_account;
DROP INDEX IF EXISTS account_person_last;
