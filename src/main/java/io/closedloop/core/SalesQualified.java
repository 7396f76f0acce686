package io.closedloop.core;

import java.time.Instant;

/**
 * A Lead that reached a disposition of the SQL definition ({@code sql.on}): when, and the record its SQL_At__c goes on
 * (the Lead, or the Contact of a Lead converted before it was seen qualifying; a converted Lead cannot be updated).
 */
public record SalesQualified(String leadId, String email, String targetObject, String targetId, Disposition disposition,
                             Instant at) {
}
