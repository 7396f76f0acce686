package io.closedloop.sandbox.salesforce.soql;

import io.closedloop.sandbox.salesforce.SalesforceObjectType;
import java.util.List;
import java.util.Map;

/** The rows a query matched, in order, after OFFSET and LIMIT; {@code count} marks SELECT COUNT(). */
public record SoqlResult(SalesforceObjectType type, List<SoqlField> columns, List<Map<String, Object>> records,
                         int totalSize, boolean count) {
}
