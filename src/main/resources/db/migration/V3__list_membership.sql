-- Flow 1, list source: the members of each watched HubSpot list as last written, so that each poll's
-- memberships can be turned into joins and leaves. Rows change only after the batch was written.
CREATE TABLE list_membership (
    list_id             VARCHAR(32) NOT NULL,
    hubspot_contact_id  VARCHAR(32) NOT NULL,
    joined_at           TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (list_id, hubspot_contact_id)
);
