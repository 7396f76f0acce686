package io.closedloop.sandbox.salesforce.soql;

import java.util.Locale;

/**
 * One lexical token. String tokens carry the decoded text and, for LIKE, a regular expression in which only
 * unescaped {@code %} and {@code _} are wildcards.
 */
public record SoqlToken(Kind kind, String text, Object value, String likeRegex, int position) {
    public enum Kind { IDENT, STRING, NUMBER, DATE, DATETIME, SYMBOL, EOF }

    public boolean is(Kind k, String s) {
        return kind == k && text.equalsIgnoreCase(s);
    }

    /** A keyword is an identifier token, matched case-insensitively. */
    public boolean keyword(String word) {
        return kind == Kind.IDENT && text.toUpperCase(Locale.ROOT).equals(word);
    }

    public boolean symbol(String s) {
        return kind == Kind.SYMBOL && text.equals(s);
    }

    /** Whether a string literal uses {@code \_} or {@code \%}, which reference §2.3 allows in LIKE only. */
    public boolean usesLikeOnlyEscape() {
        for (int i = 0; kind == Kind.STRING && i < text.length() - 1; i++) {
            if (text.charAt(i) == '\\') {
                char next = text.charAt(++i);
                if (next == '_' || next == '%') {
                    return true;
                }
            }
        }
        return false;
    }
}
