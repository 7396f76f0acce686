-- Reverse SLA (README, Reverse SLA): a change of the contact's hs_lead_status away from the value sales' hand-back
-- wrote counts as marketing's action. The contact-change snapshot keeps the last lead status seen, and the clock the
-- value the hand-back wrote (null: the mapping writes none).
ALTER TABLE contact_state ADD COLUMN lead_status VARCHAR(100);
ALTER TABLE reverse_sla_clock ADD COLUMN handed_back_lead_status VARCHAR(100);
