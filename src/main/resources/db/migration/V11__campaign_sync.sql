-- Campaigns and lead lists for sales: the Salesforce Campaign each configured HubSpot list (or marketing email)
-- became, and each member as last written. Rows change only after Salesforce confirmed the write.
CREATE TABLE campaign_sync (
    campaign_key     VARCHAR(64)  NOT NULL PRIMARY KEY,
    sf_campaign_id   VARCHAR(18)  NOT NULL,
    fingerprint      VARCHAR(64)  NOT NULL,
    statuses_ready   BOOLEAN      NOT NULL,
    updated_at       TIMESTAMP WITH TIME ZONE NOT NULL
);

-- person_key: the HubSpot contact id of a list member, the lower-cased email of an email recipient.
CREATE TABLE campaign_member (
    campaign_key     VARCHAR(64)  NOT NULL,
    person_key       VARCHAR(320) NOT NULL,
    sf_person_id     VARCHAR(18)  NOT NULL,
    status           VARCHAR(40)  NOT NULL,
    joined_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    in_list          BOOLEAN      NOT NULL,
    updated_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (campaign_key, person_key)
);
