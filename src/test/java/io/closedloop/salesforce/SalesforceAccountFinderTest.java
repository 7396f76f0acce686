package io.closedloop.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SalesforceAccountFinderTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "https://www.acme.com/about, acme.com",
            "http://Acme.COM, acme.com",
            "www.acme.co.uk/, acme.co.uk",
            "'  acme.io  ', acme.io",
            "ftp://files.acme.com/x/y, files.acme.com"})
    void websiteHostIsTheBareLowerCaseDomain(String website, String host) {
        assertThat(SalesforceAccountFinder.hostOf(website)).isEqualTo(host);
    }

    @ParameterizedTest(name = "''{0}'' has no host")
    @CsvSource({"''", "'   '", "https://", "www."})
    void anEmptyWebsiteHasNoHost(String website) {
        assertThat(SalesforceAccountFinder.hostOf(website)).isNull();
    }
}
