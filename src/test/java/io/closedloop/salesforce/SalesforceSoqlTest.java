package io.closedloop.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SalesforceSoqlTest {
    @Test
    void escapesQuotesAndBackslashesPerTheSoqlRules() {
        // salesforce-api.md §2.3 example
        assertThat(SalesforceSoql.literal("o'brien@example.com")).isEqualTo("'o\\'brien@example.com'");
        assertThat(SalesforceSoql.literal("a\\b")).isEqualTo("'a\\\\b'");
        assertThat(SalesforceSoql.literal("line\nbreak\ttab\"q")).isEqualTo("'line\\nbreak\\ttab\\\"q'");
    }

    @Test
    void anInjectionAttemptStaysInsideItsLiteral() {
        String attack = "x' OR Name != '";
        String lit = SalesforceSoql.literal(attack);
        assertThat(lit).isEqualTo("'x\\' OR Name != \\''");
        // every quote inside is escaped, so the literal ends only at its final quote
        assertThat(lit.substring(1, lit.length() - 1).replace("\\'", "")).doesNotContain("'");
    }

    @Test
    void inListsAreChunkedByLengthAndKeepEveryValue() {
        List<String> emails = IntStream.range(0, 1000).mapToObj(i -> "person" + i + "@company" + i + ".example").toList();
        List<String> chunks = SalesforceSoql.inLists(emails, 2_000);
        assertThat(chunks).hasSizeGreaterThan(10).allSatisfy(c -> assertThat(c.length()).isLessThanOrEqualTo(2_000));
        assertThat(String.join(",", chunks).split(",")).hasSize(1000);
        assertThat(SalesforceSoql.inLists(List.of(), 100)).isEmpty();
    }

    @Test
    void dateTimesAreUnquotedUtcWholeSeconds() {
        assertThat(SalesforceSoql.dateTime(Instant.parse("2024-06-03T09:20:40.987Z"))).isEqualTo("2024-06-03T09:20:40Z");
    }

    @Test
    void orConditionsAreChunkedWithTheSeparatorCounted() {
        List<String> conditions = IntStream.range(0, 300).mapToObj(i -> "Website LIKE " + SalesforceSoql.endsWith("company" + i + ".example")).toList();
        List<String> chunks = SalesforceSoql.joined(conditions, " OR ", 1_000);
        assertThat(chunks).hasSizeGreaterThan(10).allSatisfy(c -> assertThat(c.length()).isLessThanOrEqualTo(1_000));
        assertThat(String.join(" OR ", chunks).split(" OR ")).containsExactlyElementsOf(conditions);
        assertThat(SalesforceSoql.joined(List.of("a", "b"), " OR ", 6)).containsExactly("a OR b");
        assertThat(SalesforceSoql.joined(List.of("a", "b"), " OR ", 5)).containsExactly("a", "b");
    }

    @Test
    void endsWithEscapesTheLikeWildcardsOfTheValue() {
        assertThat(SalesforceSoql.endsWith("acme.com")).isEqualTo("'%acme.com'");
        assertThat(SalesforceSoql.endsWith("my_co%.com")).isEqualTo("'%my\\_co\\%.com'");
    }

    @Test
    void likeWildcardsAreEscapedOnceAfterQuotingPerSection23() {
        // the SOQL text is '%a\_b.com': one backslash before the underscore, none doubled
        assertThat(SalesforceSoql.endsWith("a_b.com")).isEqualTo("'%a\\_b.com'");
        // a backslash and a quote of the value keep their own escapes; the wildcard after them is escaped once
        assertThat(SalesforceSoql.endsWith("x\\_y'%z")).isEqualTo("'%x\\\\\\_y\\'\\%z'");
    }
}
