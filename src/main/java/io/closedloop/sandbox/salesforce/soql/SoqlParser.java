package io.closedloop.sandbox.salesforce.soql;

import io.closedloop.sandbox.salesforce.soql.SoqlQuery.Condition;
import io.closedloop.sandbox.salesforce.soql.SoqlQuery.Value;
import io.closedloop.sandbox.salesforce.soql.SoqlToken.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Recursive-descent parser for the SOQL subset the daemon uses; anything else is MALFORMED_QUERY. */
public final class SoqlParser {
    private final List<SoqlToken> tokens;
    private int i;

    private SoqlParser(List<SoqlToken> tokens) {
        this.tokens = tokens;
    }

    public static SoqlQuery parse(String soql) {
        if (soql == null || soql.isBlank()) {
            throw SoqlException.malformed("empty query");
        }
        return new SoqlParser(SoqlLexer.tokenize(soql)).query();
    }

    private SoqlQuery query() {
        expectKeyword("SELECT");
        List<List<String>> fields = new ArrayList<>();
        boolean count = false;
        if (peek().keyword("COUNT") && tokens.get(i + 1).symbol("(")) {
            i += 2;
            expectSymbol(")");
            count = true;
        } else {
            fields.add(path());
            while (peek().symbol(",")) {
                i++;
                fields.add(path());
            }
        }
        expectKeyword("FROM");
        String object = ident();
        Condition where = null;
        if (peek().keyword("WHERE")) {
            i++;
            where = or();
        }
        List<SoqlQuery.Order> order = new ArrayList<>();
        if (peek().keyword("ORDER")) {
            i++;
            expectKeyword("BY");
            do {
                if (!order.isEmpty()) {
                    i++;
                }
                order.add(orderItem());
            } while (peek().symbol(","));
        }
        Integer limit = null;
        Integer offset = null;
        if (peek().keyword("LIMIT")) {
            i++;
            limit = integer();
        }
        if (peek().keyword("OFFSET")) {
            i++;
            offset = integer();
        }
        if (peek().kind() != Kind.EOF) {
            throw unexpected();
        }
        return new SoqlQuery(List.copyOf(fields), count, object, where, List.copyOf(order), limit, offset);
    }

    private SoqlQuery.Order orderItem() {
        List<String> path = path();
        boolean desc = false;
        if (peek().keyword("ASC")) {
            i++;
        } else if (peek().keyword("DESC")) {
            i++;
            desc = true;
        }
        boolean nullsFirst = !desc;
        if (peek().keyword("NULLS")) {
            i++;
            if (peek().keyword("FIRST")) {
                nullsFirst = true;
            } else if (peek().keyword("LAST")) {
                nullsFirst = false;
            } else {
                throw unexpected();
            }
            i++;
        }
        return new SoqlQuery.Order(path, desc, nullsFirst);
    }

    private Condition or() {
        List<Condition> terms = new ArrayList<>(List.of(and()));
        while (peek().keyword("OR")) {
            i++;
            terms.add(and());
        }
        return terms.size() == 1 ? terms.get(0) : new SoqlQuery.Or(List.copyOf(terms));
    }

    private Condition and() {
        List<Condition> terms = new ArrayList<>(List.of(not()));
        while (peek().keyword("AND")) {
            i++;
            terms.add(not());
        }
        return terms.size() == 1 ? terms.get(0) : new SoqlQuery.And(List.copyOf(terms));
    }

    private Condition not() {
        if (peek().keyword("NOT")) {
            i++;
            return new SoqlQuery.Not(not());
        }
        if (peek().symbol("(")) {
            i++;
            Condition inner = or();
            expectSymbol(")");
            return inner;
        }
        return comparison();
    }

    private Condition comparison() {
        List<String> path = path();
        SoqlToken t = peek();
        if (t.keyword("NOT") || t.keyword("IN")) {
            boolean negated = t.keyword("NOT");
            i++;
            if (negated) {
                expectKeyword("IN");
            }
            expectSymbol("(");
            List<Value> values = new ArrayList<>(List.of(value()));
            while (peek().symbol(",")) {
                i++;
                values.add(value());
            }
            expectSymbol(")");
            return new SoqlQuery.In(path, negated, List.copyOf(values));
        }
        if (t.keyword("LIKE")) {
            i++;
            SoqlToken s = peek();
            if (s.kind() != Kind.STRING) {
                throw unexpected();
            }
            i++;
            return new SoqlQuery.Like(path, Pattern.compile(s.likeRegex(), Pattern.CASE_INSENSITIVE | Pattern.DOTALL),
                    (String) s.value());
        }
        if (t.kind() == Kind.SYMBOL && List.of("=", "!=", "<>", "<", ">", "<=", ">=").contains(t.text())) {
            i++;
            String op = t.text().equals("<>") ? "!=" : t.text();
            return new SoqlQuery.Compare(path, op, value());
        }
        throw unexpected();
    }

    private Value value() {
        SoqlToken t = peek();
        i++;
        return switch (t.kind()) {
            case STRING -> {
                if (t.usesLikeOnlyEscape()) {
                    throw SoqlException.malformed("Invalid string literal " + t.text() + ". \\_ and \\% are valid in LIKE only.");
                }
                yield new Value(Value.Kind.STRING, t.value());
            }
            case NUMBER -> new Value(Value.Kind.NUMBER, t.value());
            case DATE -> new Value(Value.Kind.DATE, t.value());
            case DATETIME -> new Value(Value.Kind.DATETIME, t.value());
            case IDENT -> {
                if (t.keyword("NULL")) {
                    yield new Value(Value.Kind.NULL, null);
                }
                if (t.keyword("TRUE") || t.keyword("FALSE")) {
                    yield new Value(Value.Kind.BOOLEAN, t.keyword("TRUE"));
                }
                i--;
                throw unexpected();
            }
            default -> {
                i--;
                throw unexpected();
            }
        };
    }

    private List<String> path() {
        List<String> parts = new ArrayList<>(List.of(ident()));
        while (peek().symbol(".")) {
            i++;
            parts.add(ident());
        }
        return List.copyOf(parts);
    }

    private String ident() {
        SoqlToken t = peek();
        if (t.kind() != Kind.IDENT) {
            throw unexpected();
        }
        i++;
        return t.text();
    }

    private int integer() {
        SoqlToken t = peek();
        if (t.kind() != Kind.NUMBER || t.text().contains(".") || t.text().startsWith("-")) {
            throw unexpected();
        }
        i++;
        return Integer.parseInt(t.text().replace("+", ""));
    }

    private void expectKeyword(String word) {
        if (!peek().keyword(word)) {
            throw unexpected();
        }
        i++;
    }

    private void expectSymbol(String s) {
        if (!peek().symbol(s)) {
            throw unexpected();
        }
        i++;
    }

    private SoqlToken peek() {
        return tokens.get(Math.min(i, tokens.size() - 1));
    }

    private SoqlException unexpected() {
        SoqlToken t = peek();
        return SoqlException.malformed("unexpected token: '" + t.text() + "' at column " + (t.position() + 1));
    }
}
