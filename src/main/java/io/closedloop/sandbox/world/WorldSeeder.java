package io.closedloop.sandbox.world;

import io.closedloop.sandbox.hubspot.HubSpotPortal;
import io.closedloop.sandbox.salesforce.SalesforceOrg;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Seeds both emulators with one consistent world: companies and their Accounts, people in HubSpot with
 * matching Leads or Contacts in Salesforce, and the deliberate mismatches real orgs have (people Salesforce
 * does not know, duplicate emails, shared company domains, emails that need SOQL escaping, non-Latin names).
 */
public final class WorldSeeder {
    static final String[] FIRST = {"Ada", "Grace", "Alan", "Katherine", "Linus", "Margaret", "Dennis", "Barbara",
            "Ken", "Frances", "Tim", "Radia", "Zoë", "José", "Łukasz", "Søren", "Amélie", "Björn", "שרה", "美玲",
            "Priya", "Kwame", "Aiko", "Mateo"};
    static final String[] LAST = {"Lovelace", "Hopper", "Turing", "Johnson", "Torvalds", "Hamilton", "Ritchie",
            "Liskov", "Thompson", "Allen", "Berners-Lee", "Perlman", "D'Angelo", "Núñez", "Kowalski", "Kierkegaard",
            "Lefèvre", "Lindqvist", "Levi", "Chen", "Raman", "Mensah", "Tanaka", "García"};
    private static final String[] COMPANY_A = {"Analytical", "Northwind", "Blue", "Quantum", "Harbor", "Summit",
            "Cobalt", "Evergreen", "Lumen", "Vertex", "Granite", "Polar", "Copper", "Atlas", "Nimbus", "Orchid"};
    private static final String[] COMPANY_B = {"Engines", "Traders", "Labs", "Logistics", "Health", "Robotics",
            "Foods", "Capital", "Studios", "Systems", "Energy", "Networks", "Works", "Retail"};
    private static final String[] CAMPAIGNS = {"Pricing update", "Webinar: closing the loop", "Q4 newsletter",
            "Case study: Northwind", "Product launch: roll-ups"};
    private static final String[] FORMS = {"Demo request", "Contact us", "Ebook download"};
    private static final String[] LISTS = {"Webinar attendees", "Trial users"};

    public static final String MQL_STAGE = "marketingqualifiedlead";
    public static final int MQL_SCORE = 60;

    private WorldSeeder() {
    }

    public static World seed(WorldConfig config, SalesforceOrg org, HubSpotPortal portal, Clock clock) {
        Random random = new Random(config.seed());
        Instant now = clock.instant();

        List<String> reps = new ArrayList<>();
        String manager = org.insert("User", user("Morgan", "Manager", null));
        for (String[] rep : new String[][] {{"Riley", "Rep"}, {"Sam", "Seller"}, {"Jordan", "Closer"}, {"Casey", "Caller"}}) {
            reps.add(org.insert("User", user(rep[0], rep[1], manager)));
        }

        List<World.Campaign> campaigns = new ArrayList<>();
        for (int i = 0; i < CAMPAIGNS.length; i++) {
            long id = 318_889_900L + i;
            portal.addEmailCampaign(id, CAMPAIGNS[i], CAMPAIGNS[i] + " from the Closedloop sandbox");
            org.insert("Campaign", Map.of("Name", CAMPAIGNS[i], "Type", "Email", "Status", "In Progress", "IsActive", true));
            campaigns.add(new World.Campaign(id, CAMPAIGNS[i], CAMPAIGNS[i] + " from the Closedloop sandbox"));
        }
        List<World.Form> forms = new ArrayList<>();
        for (String name : FORMS) {
            String slug = name.toLowerCase(Locale.ROOT).replace(' ', '-');
            forms.add(new World.Form(portal.addForm(name), name, "https://www.closedloop.example/" + slug));
        }
        List<World.MarketingList> lists = new ArrayList<>();
        for (int i = 0; i < LISTS.length; i++) {
            String id = Integer.toString(100 + i);
            portal.addList(id, LISTS[i]);
            lists.add(new World.MarketingList(id, LISTS[i]));
        }

        Set<String> usedDomains = new HashSet<>();
        Set<String> usedEmails = new HashSet<>();
        List<World.Company> companies = new ArrayList<>();
        List<World.Person> people = new ArrayList<>();
        for (int c = 0; c < config.companies(); c++) {
            String name = COMPANY_A[random.nextInt(COMPANY_A.length)] + " " + COMPANY_B[random.nextInt(COMPANY_B.length)];
            String domain = unique(usedDomains, name.toLowerCase(Locale.ROOT).replace(' ', '-') + ".example");
            String accountId = org.insert("Account", Map.of("Name", name, "Website", "https://www." + domain));
            World.Company company = new World.Company(name, domain, accountId);
            companies.add(company);
            int size = 1 + random.nextInt(Math.max(1, config.maxPeoplePerCompany()));
            for (int p = 0; p < size; p++) {
                people.add(person(config, random, org, portal, company, reps, usedEmails, now, people.size()));
            }
        }
        return new World(companies, people, campaigns, forms, lists, reps);
    }

    private static World.Person person(WorldConfig config, Random random, SalesforceOrg org, HubSpotPortal portal,
                                       World.Company company, List<String> reps, Set<String> usedEmails, Instant now,
                                       int index) {
        String first = FIRST[random.nextInt(FIRST.length)];
        // the second person of the world is always an O'Brien: an email that needs SOQL escaping
        String last = index == 1 ? "O'Brien" : LAST[random.nextInt(LAST.length)];
        String local = index == 1 ? "o'brien" : ascii(first) + "." + ascii(last);
        String email = unique(usedEmails, local + "@" + company.domain());
        double draw = random.nextDouble();
        World.Match match = draw < config.leadShare() ? World.Match.LEAD
                : draw < config.leadShare() + config.contactShare() ? World.Match.CONTACT : World.Match.UNKNOWN;
        String owner = reps.get(random.nextInt(reps.size()));
        boolean preMql = match == World.Match.LEAD && random.nextDouble() < config.preMqlShare();
        // every world has some duplicates, however the draws fall: the fourth person and then a share of the rest
        boolean duplicate = match != World.Match.UNKNOWN && (index == 3 || random.nextDouble() < config.duplicateShare());
        int score = preMql ? MQL_SCORE + random.nextInt(30) : random.nextInt(40);

        Map<String, String> hs = new LinkedHashMap<>();
        hs.put("email", email);
        hs.put("firstname", first);
        hs.put("lastname", last);
        hs.put("company", company.name());
        hs.put("hubspotscore", Integer.toString(score));
        hs.put("lifecyclestage", preMql ? MQL_STAGE : "lead");
        String contactId = portal.createContact(hs);

        String duplicateId = null;
        if (duplicate) {
            // created first, so the real record is the most recently modified one
            duplicateId = org.insert("Lead", lead(first, last, email, company, reps.get(0), org.profile().newStatus()));
        }
        String leadId = null;
        String sfContactId = null;
        if (match == World.Match.LEAD) {
            Map<String, Object> lead = lead(first, last, email, company, owner, org.profile().newStatus());
            if (preMql) {
                lead.put("MQL_At__c", now.minus(Duration.ofMinutes(5 + random.nextInt(240))));
            }
            leadId = org.insert("Lead", lead);
        } else if (match == World.Match.CONTACT) {
            Map<String, Object> contact = new HashMap<>();
            contact.put("FirstName", first);
            contact.put("LastName", last);
            contact.put("Email", email);
            contact.put("AccountId", company.accountId());
            contact.put("OwnerId", owner);
            sfContactId = org.insert("Contact", contact);
        }
        return new World.Person(contactId, email, first, last, company, match, leadId, sfContactId, duplicateId, owner);
    }

    private static Map<String, Object> lead(String first, String last, String email, World.Company company, String owner,
                                            String status) {
        Map<String, Object> lead = new HashMap<>();
        lead.put("FirstName", first);
        lead.put("LastName", last);
        lead.put("Email", email);
        lead.put("Company", company.name());
        lead.put("Status", status);
        lead.put("LeadSource", "Web");
        lead.put("OwnerId", owner);
        return lead;
    }

    private static Map<String, Object> user(String first, String last, String manager) {
        Map<String, Object> user = new HashMap<>();
        user.put("FirstName", first);
        user.put("LastName", last);
        String login = first.toLowerCase(Locale.ROOT) + "." + last.toLowerCase(Locale.ROOT) + "@closedloop.sandbox";
        user.put("Email", login);
        user.put("Username", login);
        user.put("IsActive", true);
        if (manager != null) {
            user.put("ManagerId", manager);
        }
        return user;
    }

    private static String unique(Set<String> used, String candidate) {
        String value = candidate;
        for (int n = 2; !used.add(value); n++) {
            int at = candidate.indexOf('@');
            value = at < 0 ? candidate.replaceFirst("\\.example$", "-" + n + ".example")
                    : candidate.substring(0, at) + n + candidate.substring(at);
        }
        return value;
    }

    /** ASCII email local part from a name: accents stripped, other scripts replaced by a stable token. */
    static String ascii(String name) {
        String stripped = java.text.Normalizer.normalize(name, java.text.Normalizer.Form.NFD)
                .replaceAll("\\p{M}", "").replace("ł", "l").replace("Ł", "L").replace("ø", "o").replace("Ø", "O")
                .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9'-]", "");
        return stripped.isEmpty() ? "u" + Integer.toHexString(name.hashCode() & 0xffff) : stripped;
    }
}
