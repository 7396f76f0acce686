package io.closedloop.flow;

/**
 * A flow's wiring: the beans its route files call, built from what the runtime shares, and its parked-record
 * replay handlers. The runtime binds every flow once, before the routes are read; a new flow adds one binding.
 */
public interface FlowBinding {
    void bind(FlowContext context);
}
