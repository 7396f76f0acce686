package io.closedloop.sandbox.world;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** What the seeded world holds, with the ids on both sides, so tests can check where data should land. */
public record World(List<Company> companies, List<Person> people, List<Campaign> campaigns, List<Form> forms,
                    List<MarketingList> lists, List<String> salesRepIds) {

    /** How a person is known to Salesforce. */
    public enum Match {
        /** An unconverted Lead with the same email. */
        LEAD,
        /** A Contact under the company's Account. */
        CONTACT,
        /** Nobody in Salesforce has this email. */
        UNKNOWN
    }

    public record Company(String name, String domain, String accountId) {
    }

    /**
     * One prospect. {@code duplicateSfId} is a second Salesforce record with the same email (a deliberate
     * mismatch), or null.
     */
    public record Person(String hubspotContactId, String email, String firstName, String lastName, Company company,
                         Match match, String sfLeadId, String sfContactId, String duplicateSfId, String ownerId) {
        public String sfId() {
            return match == Match.LEAD ? sfLeadId : sfContactId;
        }
    }

    public record Campaign(long id, String name, String subject) {
    }

    public record Form(String guid, String name, String pageUrl) {
    }

    public record MarketingList(String id, String name) {
    }

    public Map<String, Person> byHubSpotId() {
        return people.stream().collect(Collectors.toMap(Person::hubspotContactId, p -> p));
    }

    public List<Person> matched() {
        return people.stream().filter(p -> p.match() != Match.UNKNOWN).toList();
    }
}
