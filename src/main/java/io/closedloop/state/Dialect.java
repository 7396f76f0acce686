package io.closedloop.state;

/** The database a store runs on; the write statements that differ between the two are {@link SqlStatements}. */
public enum Dialect {
    H2, POSTGRES;

    public static Dialect fromUrl(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:h2:")) {
            return H2;
        }
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            return POSTGRES;
        }
        throw new IllegalArgumentException("unsupported JDBC URL (expected jdbc:h2: or jdbc:postgresql:)");
    }

    /** Column type for unbounded text, used as the Flyway {@code ${text}} placeholder. */
    public String textType() {
        return this == H2 ? "CLOB" : "TEXT";
    }
}
