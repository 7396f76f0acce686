package io.closedloop.core;

import java.util.Locale;

/** What sales did with a lead; the values of the HubSpot property sales_disposition. */
public enum Disposition {
    ACCEPTED, WORKING, REJECTED, RECYCLED, CONVERTED, WON, LOST;

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String label() {
        return name().charAt(0) + name().substring(1).toLowerCase(Locale.ROOT);
    }
}
