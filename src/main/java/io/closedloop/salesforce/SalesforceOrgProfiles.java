package io.closedloop.salesforce;

import io.closedloop.core.OrgProfile;
import java.util.LinkedHashSet;
import java.util.Set;

/** Builds the {@link OrgProfile} from the org's describes: Lead Status, the rejection fields, Opportunity stages. */
public final class SalesforceOrgProfiles {
    private SalesforceOrgProfiles() {
    }

    /** One Composite call of describes, then the profile for these rejection fields. */
    public static OrgProfile read(SalesforceClient client, String reasonField, String detailField) {
        return from(SalesforceDescribes.read(client), reasonField, detailField);
    }

    public static OrgProfile from(SalesforceDescribes d, String reasonField, String detailField) {
        Set<String> missing = new LinkedHashSet<>();
        SalesforceDescribes.OBJECTS.forEach(o -> {
            if (d.object(o) == null) {
                missing.add(o);
            }
        });
        return new OrgProfile(d.activeValues("Lead", "Status"), d.defaultValue("Lead", "Status"), reasonField,
                d.field("Lead", reasonField).isPresent(), d.activeValues("Lead", reasonField), detailField,
                d.field("Lead", detailField).isPresent(), d.activeValues("Opportunity", "StageName"), missing);
    }
}
