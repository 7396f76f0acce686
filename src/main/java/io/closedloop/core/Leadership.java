package io.closedloop.core;

/**
 * Whether this daemon leads: only the leader polls and writes. A single node (H2) always leads; replicas on
 * PostgreSQL elect one. Writes that must happen once call {@link #verify} right before they go out.
 */
public interface Leadership {
    /** The role health shows. */
    enum Role { LEADER, STANDBY }

    /** A single node: always the leader, term 0, nothing to check. */
    Leadership SINGLE_NODE = new Leadership() {
        @Override
        public boolean leads() {
            return true;
        }

        @Override
        public long term() {
            return 0;
        }
    };

    /** True while this node holds the lead and has confirmed it within its lease. */
    boolean leads();

    /** The fencing token of the current lead: grows each time any node takes the lead; 0 on a single node. */
    long term();

    default Role role() {
        return leads() ? Role.LEADER : Role.STANDBY;
    }

    /** Fencing: throws, with nothing written, when this node no longer leads; the new leader does the work instead. */
    default void verify(String what) {
        if (!leads()) {
            throw new RetriableSyncException("NOT_LEADER", "this replica lost the lead before " + what + "; the new leader does it", null);
        }
    }
}
