package io.closedloop.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The datetime forms of salesforce-api.md §0.1 and §2.4. */
class SalesforceDateTimesTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // §0.1: what REST and SOQL responses carry (SystemModstamp, CreatedDate, LastModifiedDate)
            "2024-06-03T09:20:40.000+0000, 2024-06-03T09:20:40Z",
            "2013-05-20T20:49:32.123+0000, 2013-05-20T20:49:32.123Z",
            // another offset, with and without a colon
            "2024-06-03T11:20:40.000+0200, 2024-06-03T09:20:40Z",
            "2024-06-03T11:20:40.000+02:00, 2024-06-03T09:20:40Z",
            // what the request side sends, and the SOQL literal form of §2.4
            "2024-06-03T09:20:40.000Z, 2024-06-03T09:20:40Z",
            "2024-06-03T09:20:40Z, 2024-06-03T09:20:40Z",
            "2024-06-03T09:20:40+0000, 2024-06-03T09:20:40Z"})
    void readsEachFormSalesforceReturns(String value, Instant expected) {
        assertThat(SalesforceDateTimes.parse(value)).isEqualTo(expected);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = "  ")
    void anUnsetFieldIsNull(String value) {
        assertThat(SalesforceDateTimes.parse(value)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"2024-06-03", "2024-06-03T09:20:40", "yesterday"})
    void aValueThatIsNoDatetimeWithAnOffsetIsRefused(String value) {
        assertThatThrownBy(() -> SalesforceDateTimes.parse(value)).isInstanceOf(DateTimeParseException.class);
    }

    /** The response shape is read without the formatter: the same instant as the formatter's, over many years and days. */
    @Test
    void theResponseShapeReadsAsTheFormatterReadsIt() {
        java.time.format.DateTimeFormatter shape = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxx")
                .withZone(java.time.ZoneOffset.UTC);
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 20_000; i++) {
            Instant at = Instant.ofEpochMilli(random.nextLong(Instant.parse("1970-01-01T00:00:00Z").toEpochMilli(),
                    Instant.parse("2100-12-31T23:59:59.999Z").toEpochMilli()));
            String value = shape.format(at);
            assertThat(value).hasSize(28).endsWith("+0000");
            assertThat(SalesforceDateTimes.parse(value)).as(value).isEqualTo(at)
                    .isEqualTo(java.time.OffsetDateTime.parse(value, java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxx")).toInstant());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"2024-06-03T24:20:40.000+0000", "2024-06-03T09:20:4x.000+0000",
            "2024-13-03T09:20:40.000+0000", "2024-06-03 09:20:40.000+0000"})
    void anImpossibleDatetimeOfTheResponseShapeIsStillRefused(String value) {
        assertThatThrownBy(() -> SalesforceDateTimes.parse(value)).isInstanceOf(DateTimeParseException.class);
    }

    @Test
    void writesUtcWithMillisecondsAndZ() {
        assertThat(SalesforceDateTimes.format(Instant.parse("2024-06-03T09:20:40Z"))).isEqualTo("2024-06-03T09:20:40.000Z");
        assertThat(SalesforceDateTimes.format(Instant.parse("2024-06-03T09:20:40.987654Z"))).isEqualTo("2024-06-03T09:20:40.987Z");
    }

    @Test
    void whatIsWrittenReadsBackToTheSameMillisecond() {
        Instant at = Instant.parse("2024-12-31T23:59:59.999Z");
        assertThat(SalesforceDateTimes.parse(SalesforceDateTimes.format(at))).isEqualTo(at);
    }
}
