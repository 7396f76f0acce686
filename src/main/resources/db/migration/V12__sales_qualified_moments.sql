-- Flow 2: the moment each Lead became a sales-qualified lead under sql.on (config/dispositions.properties), kept
-- until it has reached both systems once: sales_qualified_at on the HubSpot contact and SQL_At__c on the Lead (or,
-- for a Lead converted before it qualified, on its Contact). Record ids and the email the contact is found by.
CREATE TABLE sql_moment (
    lead_id          VARCHAR(18)  NOT NULL PRIMARY KEY,
    email            VARCHAR(320),
    target_object    VARCHAR(16)  NOT NULL,
    target_id        VARCHAR(18)  NOT NULL,
    disposition      VARCHAR(16)  NOT NULL,
    qualified_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    hubspot_at       TIMESTAMP WITH TIME ZONE,
    salesforce_at    TIMESTAMP WITH TIME ZONE
);
CREATE INDEX sql_moment_qualified ON sql_moment (qualified_at);
