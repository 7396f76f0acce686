package io.closedloop.runtime;

import io.closedloop.config.SettingKey;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * The ops port is bound before anything else starts: a daemon that syncs without its ops server would let a health
 * check reach whatever else owns the port.
 */
final class OpsPortCheck {
    private OpsPortCheck() {
    }

    /** @throws OpsPortUnavailableException naming {@code CLOSEDLOOP_HTTP_PORT} when the port cannot be bound */
    static void ensureFree(String host, int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(InetAddress.getByName(host), port));
        } catch (IOException e) {
            throw new OpsPortUnavailableException(SettingKey.CLOSEDLOOP_HTTP_PORT.env() + ": cannot listen on " + host + ":" + port
                    + " (" + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                    + "); another process holds the port, or " + SettingKey.CLOSEDLOOP_HTTP_HOST.env() + " is not an address of this machine");
        }
    }
}
