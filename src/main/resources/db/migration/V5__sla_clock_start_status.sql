-- The Lead Status when the hand-off SLA clock started: a Status that differs from it is a sales action.
ALTER TABLE sla_clock ADD COLUMN start_status VARCHAR(100);
