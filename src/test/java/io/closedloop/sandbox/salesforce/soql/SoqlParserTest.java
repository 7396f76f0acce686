package io.closedloop.sandbox.salesforce.soql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class SoqlParserTest {

    @Test
    void parsesThePollingQueryOfTheReference() {
        // reference §2.4: the daemon's incremental polling query
        SoqlQuery q = SoqlParser.parse("SELECT Id, Email, Owner.Name, Lead__r.Email FROM Lead"
                + " WHERE SystemModstamp >= 2024-06-03T09:20:40Z ORDER BY SystemModstamp ASC, Id DESC NULLS FIRST LIMIT 50 OFFSET 10");
        assertThat(q.fields()).containsExactly(List.of("Id"), List.of("Email"), List.of("Owner", "Name"),
                List.of("Lead__r", "Email"));
        assertThat(q.object()).isEqualTo("Lead");
        assertThat(q.where()).isEqualTo(new SoqlQuery.Compare(List.of("SystemModstamp"), ">=",
                new SoqlQuery.Value(SoqlQuery.Value.Kind.DATETIME, Instant.parse("2024-06-03T09:20:40Z"))));
        assertThat(q.orderBy()).containsExactly(new SoqlQuery.Order(List.of("SystemModstamp"), false, true),
                new SoqlQuery.Order(List.of("Id"), true, true));
        assertThat(q.limit()).isEqualTo(50);
        assertThat(q.offset()).isEqualTo(10);
    }

    @Test
    void keywordsAreCaseInsensitiveAndCountHasNoFields() {
        SoqlQuery q = SoqlParser.parse("select count() from lead where isconverted = false");
        assertThat(q.count()).isTrue();
        assertThat(q.fields()).isEmpty();
        assertThat(q.where()).isEqualTo(new SoqlQuery.Compare(List.of("isconverted"), "=",
                new SoqlQuery.Value(SoqlQuery.Value.Kind.BOOLEAN, false)));
    }

    @Test
    void datetimeLiteralsAcceptOffsetsAndFractionalSeconds() {
        assertThat(literal("2024-06-03T11:20:40+02:00")).isEqualTo(Instant.parse("2024-06-03T09:20:40Z"));
        assertThat(literal("2024-06-03T04:20:40-0500")).isEqualTo(Instant.parse("2024-06-03T09:20:40Z"));
        assertThat(literal("2024-06-03T09:20:40.123Z")).isEqualTo(Instant.parse("2024-06-03T09:20:40.123Z"));
        assertThat(literal("2024-06-03")).isEqualTo(LocalDate.of(2024, 6, 3));
        assertThat(literal("-12.5")).isEqualTo(new BigDecimal("-12.5"));
    }

    @Test
    void stringEscapesDecodePerTheReference() {
        // reference §2.3: \' \" \\ \n \r \t \b \f \\uXXXX
        assertThat(literal("'o\\'brien'")).isEqualTo("o'brien");
        assertThat(literal("'a\\\"b\\\\c'")).isEqualTo("a\"b\\c");
        assertThat(literal("'1\\n2\\N3\\r4\\t5\\b6\\f7'")).isEqualTo("1\n2\n3\r4\t5\b6\f7");
        assertThat(literal("'caf\\u00e9'")).isEqualTo("café");
    }

    @Test
    void anEscapedInjectionStaysOneLiteral() {
        SoqlQuery q = SoqlParser.parse("SELECT Id FROM Lead WHERE Email = 'x\\' OR Name != \\''");
        assertThat(q.where()).isEqualTo(new SoqlQuery.Compare(List.of("Email"), "=",
                new SoqlQuery.Value(SoqlQuery.Value.Kind.STRING, "x' OR Name != '")));
    }

    @Test
    void anUnescapedInjectionIsMalformed() {
        assertThatThrownBy(() -> SoqlParser.parse("SELECT Id FROM Lead WHERE Email = 'x' OR Name != ''' LIMIT 1"))
                .isInstanceOfSatisfying(SoqlException.class, e -> assertThat(e.errorCode()).isEqualTo("MALFORMED_QUERY"));
    }

    @Test
    void likeKeepsEscapedWildcardsLiteral() {
        SoqlQuery.Like like = (SoqlQuery.Like) SoqlParser.parse("SELECT Id FROM Lead WHERE Name LIKE 'a\\_b%'").where();
        assertThat(like.pattern().matcher("a_bcd").matches()).isTrue();
        assertThat(like.pattern().matcher("axbcd").matches()).isFalse();
        SoqlQuery.Like single = (SoqlQuery.Like) SoqlParser.parse("SELECT Id FROM Lead WHERE Name LIKE '_0\\%'").where();
        assertThat(single.pattern().matcher("10%").matches()).isTrue();
        assertThat(single.pattern().matcher("100").matches()).isFalse();
    }

    @Test
    void wildcardEscapesOutsideLikeAreMalformedPerSection23() {
        assertThatThrownBy(() -> SoqlParser.parse("SELECT Id FROM Account WHERE Website = 'a\\_b.com'"))
                .isInstanceOfSatisfying(SoqlException.class, e -> assertThat(e.errorCode()).isEqualTo("MALFORMED_QUERY"));
        assertThatThrownBy(() -> SoqlParser.parse("SELECT Id FROM Account WHERE Website IN ('x', '50\\%')"))
                .isInstanceOfSatisfying(SoqlException.class, e -> assertThat(e.errorCode()).isEqualTo("MALFORMED_QUERY"));
        // an escaped backslash followed by an underscore is two plain characters
        SoqlQuery q = SoqlParser.parse("SELECT Id FROM Account WHERE Website = 'a\\\\_b'");
        assertThat(((SoqlQuery.Compare) q.where()).value().value()).isEqualTo("a\\_b");
    }

    @Test
    void booleanOperatorsNestWithParenthesesAndNot() {
        SoqlQuery q = SoqlParser.parse("SELECT Id FROM Lead WHERE NOT (Status = 'A' OR Status <> 'B') AND Email NOT IN ('x', 'y')");
        SoqlQuery.And and = (SoqlQuery.And) q.where();
        assertThat(and.terms().get(0)).isInstanceOf(SoqlQuery.Not.class);
        SoqlQuery.Or or = (SoqlQuery.Or) ((SoqlQuery.Not) and.terms().get(0)).term();
        assertThat(((SoqlQuery.Compare) or.terms().get(1)).op()).isEqualTo("!=");
        assertThat(and.terms().get(1)).isEqualTo(new SoqlQuery.In(List.of("Email"), true, List.of(
                new SoqlQuery.Value(SoqlQuery.Value.Kind.STRING, "x"), new SoqlQuery.Value(SoqlQuery.Value.Kind.STRING, "y"))));
    }

    @Test
    void malformedQueriesAreRejected() {
        for (String bad : List.of("", "SELECT FROM Lead", "SELECT Id Lead", "SELECT Id FROM Lead WHERE", "SELECT Id FROM Lead LIMIT x",
                "SELECT Id FROM Lead WHERE Name = 'open", "SELECT Id FROM Lead WHERE Name = 'bad \\q escape'",
                "SELECT Id FROM Lead WHERE Name = \"double\"", "SELECT Id FROM Lead ORDER BY", "SELECT Id FROM Lead extra")) {
            assertThatThrownBy(() -> SoqlParser.parse(bad)).as(bad)
                    .isInstanceOfSatisfying(SoqlException.class, e -> assertThat(e.errorCode()).isEqualTo("MALFORMED_QUERY"));
        }
    }

    private static Object literal(String text) {
        SoqlQuery.Compare c = (SoqlQuery.Compare) SoqlParser.parse("SELECT Id FROM Lead WHERE X = " + text).where();
        return c.value().value();
    }
}
