-- Flow 2: the last disposition-relevant state seen per Salesforce Lead or Opportunity, so a re-read
-- (the overlap window, a restart) sends nothing twice to HubSpot.
CREATE TABLE disposition_state (
    sf_id        VARCHAR(18)  NOT NULL PRIMARY KEY,
    fingerprint  VARCHAR(64)  NOT NULL,
    updated_at   TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Won revenue: each won opportunity's amount per contact (for closed_won_amount) ...
CREATE TABLE won_opportunity_contact (
    opportunity_id  VARCHAR(18)  NOT NULL,
    email           VARCHAR(320) NOT NULL,
    amount          NUMERIC(18, 2) NOT NULL,
    closed_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (opportunity_id, email)
);
CREATE INDEX won_opportunity_contact_email ON won_opportunity_contact (email);

-- ... and attributed to the campaigns that touched its contacts, under three models.
CREATE TABLE campaign_attribution (
    opportunity_id  VARCHAR(18)  NOT NULL,
    model           VARCHAR(16)  NOT NULL,
    campaign        VARCHAR(255) NOT NULL,
    amount          NUMERIC(18, 2) NOT NULL,
    computed_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (opportunity_id, model, campaign)
);
