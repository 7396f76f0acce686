package io.closedloop.sandbox.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.LinkedHashMap;
import java.util.Map;

/** A response an emulator sends: status, headers and a text body (JSON unless said otherwise). */
public record EmulatorResponse(int status, Map<String, String> headers, String body) {
    public static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    public static EmulatorResponse json(int status, Object body) {
        try {
            return new EmulatorResponse(status, new LinkedHashMap<>(Map.of("Content-Type", "application/json;charset=UTF-8")),
                    body instanceof String s ? s : JSON.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static EmulatorResponse text(int status, String contentType, String body) {
        return new EmulatorResponse(status, new LinkedHashMap<>(Map.of("Content-Type", contentType)), body);
    }

    public static EmulatorResponse noContent() {
        return new EmulatorResponse(204, new LinkedHashMap<>(), "");
    }

    /** A copy with one more header (headers stay in insertion order). */
    public EmulatorResponse withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new EmulatorResponse(status, copy, body);
    }

    public EmulatorResponse withBody(String newBody) {
        return new EmulatorResponse(status, headers, newBody);
    }
}
