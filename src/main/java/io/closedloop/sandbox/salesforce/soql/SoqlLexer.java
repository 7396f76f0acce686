package io.closedloop.sandbox.salesforce.soql;

import io.closedloop.sandbox.salesforce.SalesforceValues;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Splits SOQL into tokens, decoding string literals with the escapes of reference §2.3. */
public final class SoqlLexer {
    // unquoted date and datetime literals (§2.4); fractional seconds are accepted although not documented
    private static final Pattern DATETIME = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:?\\d{2})");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}(?![\\w:])");
    private static final Pattern NUMBER = Pattern.compile("[+-]?\\d+(\\.\\d+)?(?![\\w.])");

    private final String src;
    private int pos;

    private SoqlLexer(String src) {
        this.src = src;
    }

    public static List<SoqlToken> tokenize(String soql) {
        SoqlLexer lexer = new SoqlLexer(soql);
        List<SoqlToken> out = new ArrayList<>();
        SoqlToken t;
        do {
            t = lexer.next();
            out.add(t);
        } while (t.kind() != SoqlToken.Kind.EOF);
        return out;
    }

    private SoqlToken next() {
        while (pos < src.length() && Character.isWhitespace(src.charAt(pos))) {
            pos++;
        }
        int start = pos;
        if (pos >= src.length()) {
            return new SoqlToken(SoqlToken.Kind.EOF, "<EOF>", null, null, start);
        }
        char c = src.charAt(pos);
        if (Character.isLetter(c) || c == '_') {
            while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
                pos++;
            }
            return new SoqlToken(SoqlToken.Kind.IDENT, src.substring(start, pos), null, null, start);
        }
        if (c == '\'') {
            return string();
        }
        if (Character.isDigit(c) || ((c == '-' || c == '+') && pos + 1 < src.length() && Character.isDigit(src.charAt(pos + 1)))) {
            return literal();
        }
        for (String sym : new String[] {"!=", "<>", "<=", ">=", "=", "<", ">", "(", ")", ",", "."}) {
            if (src.startsWith(sym, pos)) {
                pos += sym.length();
                return new SoqlToken(SoqlToken.Kind.SYMBOL, sym, null, null, start);
            }
        }
        throw SoqlException.malformed("unexpected token: '" + c + "' at column " + (start + 1));
    }

    private SoqlToken literal() {
        int start = pos;
        Matcher m = DATETIME.matcher(src).region(pos, src.length());
        if (m.lookingAt()) {
            pos = m.end();
            Instant i = SalesforceValues.parseDateTime(m.group());
            if (i == null) {
                throw SoqlException.malformed("invalid datetime literal: " + m.group());
            }
            return new SoqlToken(SoqlToken.Kind.DATETIME, m.group(), i, null, start);
        }
        m = DATE.matcher(src).region(pos, src.length());
        if (m.lookingAt()) {
            pos = m.end();
            try {
                return new SoqlToken(SoqlToken.Kind.DATE, m.group(), LocalDate.parse(m.group()), null, start);
            } catch (DateTimeParseException e) {
                throw SoqlException.malformed("invalid date literal: " + m.group());
            }
        }
        m = NUMBER.matcher(src).region(pos, src.length());
        if (m.lookingAt()) {
            pos = m.end();
            String text = m.group().startsWith("+") ? m.group().substring(1) : m.group();
            return new SoqlToken(SoqlToken.Kind.NUMBER, m.group(), new BigDecimal(text), null, start);
        }
        throw SoqlException.malformed("unexpected token at column " + (start + 1));
    }

    private SoqlToken string() {
        int start = pos++;
        StringBuilder value = new StringBuilder();
        StringBuilder regex = new StringBuilder();
        while (true) {
            if (pos >= src.length()) {
                throw SoqlException.malformed("unterminated string literal starting at column " + (start + 1));
            }
            char c = src.charAt(pos++);
            if (c == '\'') {
                break;
            }
            if (c == '\\') {
                if (pos >= src.length()) {
                    throw SoqlException.malformed("unterminated string literal starting at column " + (start + 1));
                }
                char e = src.charAt(pos++);
                char decoded = switch (e) {
                    case '\'', '"', '\\', '%', '_' -> e;
                    case 'n', 'N' -> '\n';
                    case 'r', 'R' -> '\r';
                    case 't', 'T' -> '\t';
                    case 'b', 'B' -> '\b';
                    case 'f', 'F' -> '\f';
                    case 'u', 'U' -> unicode();
                    default -> throw SoqlException.malformed("Invalid string literal '" + src.substring(start, pos)
                            + "'. Illegal character sequence '\\" + e + "' in string literal.");
                };
                value.append(decoded);
                regex.append(Pattern.quote(String.valueOf(decoded)));
            } else {
                value.append(c);
                regex.append(c == '%' ? ".*" : c == '_' ? "." : Pattern.quote(String.valueOf(c)));
            }
        }
        return new SoqlToken(SoqlToken.Kind.STRING, src.substring(start, pos), value.toString(), regex.toString(), start);
    }

    private char unicode() {
        if (pos + 4 > src.length()) {
            throw SoqlException.malformed("invalid unicode escape in string literal");
        }
        try {
            char c = (char) Integer.parseInt(src.substring(pos, pos + 4), 16);
            pos += 4;
            return c;
        } catch (NumberFormatException e) {
            throw SoqlException.malformed("invalid unicode escape in string literal");
        }
    }
}
