-- Flow 1: what each written activity was about, so summaries and account roll-ups are computed
-- locally instead of by re-reading Salesforce.
ALTER TABLE event_ledger ADD COLUMN subject_id VARCHAR(18);
ALTER TABLE event_ledger ADD COLUMN account_id VARCHAR(18);
ALTER TABLE event_ledger ADD COLUMN activity_type VARCHAR(40);
ALTER TABLE event_ledger ADD COLUMN asset_name VARCHAR(255);
ALTER TABLE event_ledger ADD COLUMN occurred_at TIMESTAMP WITH TIME ZONE;
CREATE INDEX event_ledger_subject ON event_ledger (subject_id, occurred_at);
CREATE INDEX event_ledger_account ON event_ledger (account_id, occurred_at);

-- Company email domain -> Salesforce Account, for rolling up unconverted Leads by domain.
CREATE TABLE domain_account (
    domain         VARCHAR(255) NOT NULL PRIMARY KEY,
    sf_account_id  VARCHAR(18),
    resolved_at    TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Last values seen per HubSpot contact, to turn contact snapshots into change events.
CREATE TABLE contact_state (
    hubspot_contact_id  VARCHAR(32) NOT NULL PRIMARY KEY,
    score               INTEGER,
    lifecycle_stage     VARCHAR(64),
    page_views          INTEGER,
    last_url            VARCHAR(2000),
    last_conversion_at  TIMESTAMP WITH TIME ZONE,
    mql_at              TIMESTAMP WITH TIME ZONE,
    updated_at          TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Leads, Contacts and Accounts whose summary fields must be recomputed; a row leaves only after the
-- summary was written, so a crash between the activity write and the summary write loses nothing.
CREATE TABLE summary_pending (
    sf_id        VARCHAR(18) NOT NULL PRIMARY KEY,
    sobject      VARCHAR(40) NOT NULL,
    queued_at    TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Marketing profile of each Salesforce Lead or Contact (latest HubSpot score, when it became an MQL),
-- kept here so summary fields are computed without reading Salesforce.
CREATE TABLE subject_profile (
    sf_id        VARCHAR(18) NOT NULL PRIMARY KEY,
    score        INTEGER,
    score_at     TIMESTAMP WITH TIME ZONE,
    mql_at       TIMESTAMP WITH TIME ZONE,
    updated_at   TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Part of the identity map: email -> the Salesforce Lead or Contact it resolved to, reused for a short
-- while so that people who engage again do not cost another identity query.
CREATE TABLE email_identity (
    email          VARCHAR(320) NOT NULL PRIMARY KEY,
    sobject        VARCHAR(40)  NOT NULL,
    sf_id          VARCHAR(18)  NOT NULL,
    sf_account_id  VARCHAR(18),
    owner_id       VARCHAR(18),
    last_modified  TIMESTAMP WITH TIME ZONE,
    resolved_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
