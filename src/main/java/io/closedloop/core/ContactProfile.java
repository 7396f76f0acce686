package io.closedloop.core;

import java.time.Instant;

/** What HubSpot says about a person apart from discrete events: the current score and when they became an MQL. */
public record ContactProfile(String email, String hubspotContactId, Integer score, Instant scoreAt, Instant mqlAt) {
}
