package io.closedloop.log;

import com.fasterxml.jackson.core.JsonStreamContext;
import net.logstash.logback.mask.ValueMasker;

/** Applies the redaction layer to every string value of a JSON log line (message, stack trace, MDC). */
public class RedactingValueMasker implements ValueMasker {
    @Override
    public Object mask(JsonStreamContext context, Object value) {
        if (value instanceof CharSequence text) {
            String original = text.toString();
            String redacted = Redactor.redact(original);
            return redacted.equals(original) ? null : redacted;
        }
        return null;
    }
}
