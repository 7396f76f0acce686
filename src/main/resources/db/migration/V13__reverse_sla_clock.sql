-- Reverse SLA clocks (README, Reverse SLA): a lead sales handed back to marketing, and whether marketing acted in time.
-- One clock per contact; a later hand-back after the clock stopped starts it again. The task columns make the
-- breach task once-only across restarts: its id is kept as soon as HubSpot returns it.
CREATE TABLE reverse_sla_clock (
    hubspot_contact_id  VARCHAR(32)  NOT NULL PRIMARY KEY,
    sf_record_id        VARCHAR(18),
    disposition         VARCHAR(16)  NOT NULL,
    reason              VARCHAR(255),
    handed_back_stage   VARCHAR(100),
    started_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    due_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    status              VARCHAR(16)  NOT NULL,
    announced_at        TIMESTAMP WITH TIME ZONE,
    acted_at            TIMESTAMP WITH TIME ZONE,
    act_reason          VARCHAR(200),
    task_id             VARCHAR(32),
    breached_at         TIMESTAMP WITH TIME ZONE,
    stopped_at          TIMESTAMP WITH TIME ZONE
);
CREATE INDEX reverse_sla_clock_open ON reverse_sla_clock (stopped_at, due_at);
