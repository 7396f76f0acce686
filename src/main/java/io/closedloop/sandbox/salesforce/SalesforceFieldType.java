package io.closedloop.sandbox.salesforce;

/** Field types as describe names them ({@code fields[].type}); the metadata types map onto these. */
public enum SalesforceFieldType {
    ID("id"), STRING("string"), TEXTAREA("textarea"), DOUBLE("double"), CURRENCY("currency"), DATETIME("datetime"),
    DATE("date"), URL("url"), EMAIL("email"), PICKLIST("picklist"), REFERENCE("reference"), BOOLEAN("boolean");

    private final String describeName;

    SalesforceFieldType(String describeName) {
        this.describeName = describeName;
    }

    public String describeName() {
        return describeName;
    }

    /** Types whose values are strings, compared case-insensitively in SOQL. */
    public boolean isText() {
        return this == STRING || this == TEXTAREA || this == URL || this == EMAIL || this == PICKLIST;
    }

    public boolean isNumeric() {
        return this == DOUBLE || this == CURRENCY;
    }

    /** Maps a metadata {@code <type>} (Text, LongTextArea, Number, ...) to the describe type. */
    public static SalesforceFieldType fromMetadata(String type) {
        return switch (type) {
            case "Text", "TextArea" -> STRING;
            case "LongTextArea", "Html" -> TEXTAREA;
            case "Number", "Percent" -> DOUBLE;
            case "Currency" -> CURRENCY;
            case "DateTime" -> DATETIME;
            case "Date" -> DATE;
            case "Url" -> URL;
            case "Email" -> EMAIL;
            case "Picklist" -> PICKLIST;
            case "Lookup", "MasterDetail" -> REFERENCE;
            case "Checkbox" -> BOOLEAN;
            default -> throw new IllegalArgumentException("unsupported field type in metadata: " + type);
        };
    }
}
