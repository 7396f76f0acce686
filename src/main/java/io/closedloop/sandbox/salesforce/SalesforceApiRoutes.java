package io.closedloop.sandbox.salesforce;

import io.closedloop.sandbox.http.EmulatorHandler;
import io.closedloop.sandbox.http.EmulatorServer;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The REST routes, kept in one list so the HTTP server and composite subrequests dispatch alike. */
final class SalesforceApiRoutes {
    record Route(String endpoint, String method, Pattern path, EmulatorHandler handler) {
    }

    record Match(Route route, Matcher matcher) {
    }

    static final String DATA = "/services/data/(v\\d+\\.\\d+)";

    private final List<Route> routes = new ArrayList<>();

    SalesforceApiRoutes add(String endpoint, String method, String pathRegex, EmulatorHandler handler) {
        routes.add(new Route(endpoint, method, Pattern.compile(pathRegex), handler));
        return this;
    }

    void registerOn(EmulatorServer server) {
        for (Route r : routes) {
            server.route(r.endpoint(), r.method(), r.path().pattern(), r.handler());
        }
    }

    /** The first route for this method and path, or null. */
    Match match(String method, String path) {
        for (Route r : routes) {
            Matcher m = r.path().matcher(path);
            if (r.method().equals(method) && m.matches()) {
                return new Match(r, m);
            }
        }
        return null;
    }
}
