-- Flow 2: the verdicts with a reason that reached HubSpot (rejections and lost deals), for the status page's view of
-- what sales sent back. The record id, the verdict and the reason's picklist value only: no email, no free text.
CREATE TABLE disposition_verdict (
    sf_id        VARCHAR(18)  NOT NULL,
    disposition  VARCHAR(16)  NOT NULL,
    reason       VARCHAR(255),
    decided_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    sent_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (sf_id, disposition, decided_at)
);
CREATE INDEX disposition_verdict_sent ON disposition_verdict (sent_at);
