package io.closedloop.sandbox.http;

import java.util.regex.Matcher;

/** Handles one endpoint; {@code path} holds the groups of the endpoint's path pattern. */
@FunctionalInterface
public interface EmulatorHandler {
    EmulatorResponse handle(EmulatorRequest request, Matcher path) throws Exception;
}
