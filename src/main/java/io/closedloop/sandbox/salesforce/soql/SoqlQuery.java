package io.closedloop.sandbox.salesforce.soql;

import java.util.List;
import java.util.regex.Pattern;

/** A parsed SOQL statement, before field names are checked against the schema. */
public record SoqlQuery(List<List<String>> fields, boolean count, String object, Condition where, List<Order> orderBy,
                        Integer limit, Integer offset) {

    /** A literal: STRING, NUMBER (BigDecimal), DATE (LocalDate), DATETIME (Instant), BOOLEAN or NULL. */
    public record Value(Kind kind, Object value) {
        public enum Kind { STRING, NUMBER, DATE, DATETIME, BOOLEAN, NULL }
    }

    public record Order(List<String> path, boolean descending, boolean nullsFirst) {
    }

    public sealed interface Condition permits And, Or, Not, Compare, In, Like {
    }

    public record And(List<Condition> terms) implements Condition {
    }

    public record Or(List<Condition> terms) implements Condition {
    }

    public record Not(Condition term) implements Condition {
    }

    /** {@code op} is one of = != < > <= >= ({@code <>} is normalized to !=). */
    public record Compare(List<String> path, String op, Value value) implements Condition {
    }

    public record In(List<String> path, boolean negated, List<Value> values) implements Condition {
    }

    public record Like(List<String> path, Pattern pattern, String literal) implements Condition {
    }
}
