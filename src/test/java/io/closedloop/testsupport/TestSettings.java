package io.closedloop.testsupport;

import io.closedloop.config.ClosedloopSettings;
import io.closedloop.config.SettingsLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Settings for a daemon under test: a free port, an H2 database in a temp dir, placeholder credentials. */
public final class TestSettings {
    private TestSettings() {
    }

    /** {@link #env} pointed at a HubSpot emulator, with a token it accepts and a burst limit of 250 calls per 10 s. */
    public static Map<String, String> env(Path dir, io.closedloop.sandbox.hubspot.HubSpotEmulator hubspot) {
        Map<String, String> env = env(dir);
        env.put("HUBSPOT_BASE_URL", hubspot.baseUrl());
        env.put("HUBSPOT_ACCESS_TOKEN", io.closedloop.sandbox.hubspot.HubSpotEmulator.Config.defaults().tokens().iterator().next());
        env.put("HUBSPOT_BURST_PER_10S", "250");
        return env;
    }

    public static Map<String, String> env(Path dir) {
        Map<String, String> env = new HashMap<>();
        env.put("HUBSPOT_ACCESS_TOKEN", "pat-na1-00000000-test-0000-0000-000000000000");
        env.put("SALESFORCE_CLIENT_ID", "3MVG9testclient");
        env.put("SALESFORCE_CLIENT_SECRET", "testsecret123");
        env.put("CLOSEDLOOP_DB_URL", "jdbc:h2:file:" + dir.resolve("state") + ";DB_CLOSE_ON_EXIT=FALSE");
        env.put("CLOSEDLOOP_HTTP_PORT", Integer.toString(freePort()));
        env.put("CLOSEDLOOP_POLL_INTERVAL", "1s");
        // each poll's summary fields are written once it ends (SummaryIntervalRouteTest covers the production interval)
        env.put("CLOSEDLOOP_SUMMARY_INTERVAL", "0s");
        // never the real APIs: a closed loopback port unless a test points these at an emulator
        int closed = freePort();
        env.put("HUBSPOT_BASE_URL", "http://127.0.0.1:" + closed);
        env.put("SALESFORCE_LOGIN_URL", "http://127.0.0.1:" + closed);
        return env;
    }

    public static ClosedloopSettings settings(Path dir, Map<String, String> env) {
        try {
            Path empty = Files.writeString(dir.resolve("empty.properties"), "");
            return SettingsLoader.load(empty, env);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
