package io.closedloop.flow;

import io.closedloop.config.ClosedloopSettings;
import io.closedloop.flow.replay.ParkedReplay;
import io.closedloop.hubspot.HubSpotClient;
import io.closedloop.hubspot.HubSpotContactWriter;
import io.closedloop.ops.FlowHealth;
import io.closedloop.salesforce.SalesforceClient;
import io.closedloop.state.StateStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.function.Supplier;
import org.apache.camel.spi.Registry;

/**
 * What the runtime builds once and every flow shares when it binds itself: settings, clock, the state store, the
 * API clients (with their budgets and circuit breakers) and the HubSpot contact writer, health, the schema gate, replay and the bean registry
 * the routes look their beans up in.
 */
public record FlowContext(ClosedloopSettings settings, Clock clock, StateStore store, FlowHealth flowHealth,
                          HubSpotClient hubspot, HubSpotContactWriter hubspotContacts, SalesforceClient salesforce, SalesforceSchemaGate schemaGate,
                          ParkedReplay parkedReplay, Registry registry, Supplier<MeterRegistry> meters) {

    /** Registers a bean under the name its route file refers to. */
    public void bind(String name, Object bean) {
        registry.bind(name, bean);
    }
}
