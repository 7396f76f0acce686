package io.closedloop.sandbox.world;

/**
 * Shape of the simulated go-to-market world. The same seed and sizes give the same world, id for id.
 *
 * @param companies        how many companies (accounts) to create
 * @param maxPeoplePerCompany each company gets 1..max people
 * @param leadShare        share of people who exist in Salesforce as an unconverted Lead
 * @param contactShare     share who exist as a Contact under the company's Account
 * @param duplicateShare   share of Salesforce-known people who also have a second record with the same email
 * @param preMqlShare      share of Leads that are already MQLs when the world starts (so sales has work at once)
 */
public record WorldConfig(long seed, int companies, int maxPeoplePerCompany, double leadShare, double contactShare,
                          double duplicateShare, double preMqlShare) {

    public static WorldConfig defaults() {
        return new WorldConfig(42, 60, 5, 0.50, 0.35, 0.03, 0.10);
    }

    public WorldConfig withSeed(long newSeed) {
        return new WorldConfig(newSeed, companies, maxPeoplePerCompany, leadShare, contactShare, duplicateShare, preMqlShare);
    }

    public WorldConfig withCompanies(int n) {
        return new WorldConfig(seed, n, maxPeoplePerCompany, leadShare, contactShare, duplicateShare, preMqlShare);
    }
}
