package io.closedloop.log;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactorTest {
    @Test
    void masksBearerTokensInHeaders() {
        assertThat(Redactor.redact("Authorization: Bearer 00Dx0000000BV7z!AR8AQAxo9UfVkh8AlV0Gomt9Czx9LjHnSSpwBMmbRcgKFmx"))
                .isEqualTo("Authorization: Bearer ****").doesNotContain("AR8AQ");
    }

    @Test
    void masksTokenFieldsInFormBodiesQueriesAndJson() {
        String form = "grant_type=client_credentials&client_id=3MVG9&client_secret=8A4BE6F00BA5&x=1";
        assertThat(Redactor.redact(form)).isEqualTo("grant_type=client_credentials&client_id=3MVG9&client_secret=****&x=1");
        assertThat(Redactor.redact("GET /services/oauth2/revoke?token=abc123xyz HTTP/1.1")).doesNotContain("abc123xyz");
        assertThat(Redactor.redact("{\"access_token\":\"CNf2abcdef\",\"instance_url\":\"https://x\"}"))
                .isEqualTo("{\"access_token\":\"****\",\"instance_url\":\"https://x\"}");
        // JSON that was itself embedded in a JSON string
        assertThat(Redactor.redact("{\\\"refresh_token\\\":\\\"6f18f26a\\\"}")).doesNotContain("6f18f26a");
    }

    @Test
    void masksJwtAssertions() {
        String jwt = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiIzTVZHOSIsInN1YiI6ImEifQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ";
        assertThat(Redactor.redact("posting jwt " + jwt + " now")).isEqualTo("posting jwt **** now");
        assertThat(Redactor.redact("assertion=" + jwt)).isEqualTo("assertion=****");
    }

    @Test
    void masksHubSpotPrivateAppTokensAndSalesforceSessionIds() {
        assertThat(Redactor.redact("token pat-na1-11111111-2222-3333-4444-555555555555 used"))
                .isEqualTo("token **** used");
        assertThat(Redactor.redact("session 00D5e000000ABCD!ARcAQK.abc_def-123 expired")).isEqualTo("session **** expired");
    }

    @Test
    void masksEmailAddressesPlainAndUrlEncoded() {
        assertThat(Redactor.redact("no lead for o'brien+news@sub.example.co.uk (contact 101)"))
                .isEqualTo("no lead for [email] (contact 101)");
        assertThat(Redactor.redact("q=SELECT+Id+FROM+Lead+WHERE+Email+IN+('ada%40example.com')"))
                .doesNotContain("ada").contains("[email]");
    }

    @Test
    void masksEmailAddressesWithNonAsciiLettersAndAnyCase() {
        assertThat(Redactor.redact("no lead for jürgen@müller.de (contact 7)")).isEqualTo("no lead for [email] (contact 7)");
        assertThat(Redactor.redact("owner JOSÉ@EXAMPLE.COM")).isEqualTo("owner [email]");
        assertThat(Redactor.redact("user 山田@例え.テスト here")).isEqualTo("user [email] here");
        assertThat(Redactor.redact("q=Email+IN+('j%C3%BCrgen%40m%C3%BCller.de')")).doesNotContain("rgen", "ller").contains("[email]");
    }

    @Test
    void masksTheUserAndPasswordOfAUrl() {
        assertThat(Redactor.redact("connecting to jdbc:postgresql://closedloop:s3cr3t-pw@db.internal:5432/closedloop"))
                .isEqualTo("connecting to jdbc:postgresql://****@db.internal:5432/closedloop");
        assertThat(Redactor.redact("proxy http://ops:hunter22@localhost:3128 refused")).isEqualTo("proxy http://****@localhost:3128 refused");
        assertThat(Redactor.redact("GET https://api.hubapi.com/crm/v3/objects/contacts?limit=1"))
                .isEqualTo("GET https://api.hubapi.com/crm/v3/objects/contacts?limit=1");
    }

    @Test
    void masksRegisteredSecretsVerbatim() {
        Redactor.registerSecret("plain-db-password-777");
        assertThat(Redactor.redact("connect failed for plain-db-password-777!")).isEqualTo("connect failed for ****!");
    }

    @Test
    void leavesOrdinaryTextAlone() {
        String text = "polled 1000 events for contact 100451, wrote 990 Marketing_Activity__c, parked 10";
        assertThat(Redactor.redact(text)).isEqualTo(text);
        assertThat(Redactor.redact(null)).isNull();
    }
}
