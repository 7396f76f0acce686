package io.closedloop.sandbox.hubspot;

import java.util.Map;

/**
 * One marketing email event (§2.1). {@code extras} holds the per-type fields (url, duration, category,
 * subscriptions...) and may override defaults such as appId, appName or sentBy.
 */
public record EmailEvent(String id, long created, String type, String recipient, long emailCampaignId, Map<String, Object> extras) {
    public EmailEvent {
        extras = extras == null ? Map.of() : Map.copyOf(extras);
    }
}
