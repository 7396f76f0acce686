package io.closedloop.sandbox.salesforce;

import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/** 18-character record ids: key prefix, a seed-derived pod segment, a counter, and Salesforce's case-safe suffix. */
public final class SalesforceIds {
    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final String SUFFIX = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
    private static final Pattern SHAPE = Pattern.compile("[a-zA-Z0-9]{15}|[a-zA-Z0-9]{18}");

    private final String pod;
    private final AtomicLong counter = new AtomicLong();

    public SalesforceIds(long seed) {
        long s = Math.floorMod(seed * 31 + 7, 62L * 62L);
        this.pod = "" + BASE62.charAt((int) (s / 62)) + BASE62.charAt((int) (s % 62));
    }

    /** The next id for this key prefix; counters are shared so ids are unique across objects. */
    public String next(String keyPrefix) {
        long n = counter.incrementAndGet();
        StringBuilder digits = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            digits.insert(0, BASE62.charAt((int) (n % 62)));
            n /= 62;
        }
        return to18(keyPrefix + pod + digits);
    }

    public static boolean wellFormed(String id) {
        return id != null && SHAPE.matcher(id).matches();
    }

    /** The case-insensitive 18-character form of a 15-character id (each 5-char chunk encodes its upper-case letters). */
    public static String to18(String id) {
        if (id.length() != 15) {
            return id;
        }
        StringBuilder out = new StringBuilder(id);
        for (int chunk = 0; chunk < 3; chunk++) {
            int bits = 0;
            for (int i = 0; i < 5; i++) {
                char c = id.charAt(chunk * 5 + i);
                if (c >= 'A' && c <= 'Z') {
                    bits |= 1 << i;
                }
            }
            out.append(SUFFIX.charAt(bits));
        }
        return out.toString();
    }
}
