package io.closedloop.sandbox.salesforce;

import io.closedloop.sandbox.http.EmulatorRequest;
import io.closedloop.sandbox.http.EmulatorResponse;
import io.closedloop.sandbox.salesforce.soql.SoqlException;
import io.closedloop.sandbox.salesforce.soql.SoqlResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code GET /query?q=} and queryMore (reference §2): whole results are rendered once and served page by page. */
final class SalesforceQueryHandler {
    private static final Pattern BATCH_SIZE = Pattern.compile("batchSize\\s*=\\s*(\\d+)", Pattern.CASE_INSENSITIVE);
    private static final int MAX_CURSORS = 200;

    private record Cursor(String version, List<Map<String, Object>> rows, int batchSize) {
    }

    private final SalesforceOrg org;
    private final SalesforceRecordRenderer renderer;
    private final int defaultBatchSize;
    private final AtomicLong locators = new AtomicLong();
    private final Map<String, Cursor> cursors = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Cursor> eldest) {
            return size() > MAX_CURSORS;
        }
    };

    SalesforceQueryHandler(SalesforceOrg org, int defaultBatchSize) {
        this.org = org;
        this.renderer = new SalesforceRecordRenderer(org.store());
        this.defaultBatchSize = defaultBatchSize;
    }

    EmulatorResponse query(EmulatorRequest request, Matcher path) {
        String version = path.group(1);
        String soql = request.param("q");
        if (soql == null) {
            throw SalesforceErrors.fail(400, "MALFORMED_QUERY", "A query string has to be specified");
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        SoqlResult result;
        org.store().lock();
        try {
            result = org.evaluator().execute(soql);
            if (!result.count()) {
                for (Map<String, Object> r : result.records()) {
                    rows.add(renderer.render(result.type(), r, result.columns(), version));
                }
            }
        } catch (SoqlException e) {
            throw SalesforceErrors.fail(400, e.errorCode(), e.getMessage());
        } finally {
            org.store().unlock();
        }
        return page(new Cursor(version, rows, batchSize(request)), result.totalSize(), 0, null);
    }

    EmulatorResponse queryMore(EmulatorRequest request, Matcher path) {
        String locator = path.group(2);
        int offset = Integer.parseInt(path.group(3));
        Cursor cursor;
        synchronized (cursors) {
            cursor = cursors.get(locator);
        }
        if (cursor == null || offset > cursor.rows().size()) {
            throw SalesforceErrors.fail(400, "INVALID_QUERY_LOCATOR", "invalid query locator");
        }
        return page(cursor, cursor.rows().size(), offset, locator);
    }

    private EmulatorResponse page(Cursor cursor, int totalSize, int offset, String locator) {
        int end = Math.min(cursor.rows().size(), offset + cursor.batchSize());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("totalSize", totalSize);
        body.put("done", end >= cursor.rows().size());
        if (end < cursor.rows().size()) {
            String id = locator;
            if (id == null) {
                id = "01g" + String.format("%012d", locators.incrementAndGet()) + "AAA";
                synchronized (cursors) {
                    cursors.put(id, cursor);
                }
            }
            body.put("nextRecordsUrl", "/services/data/" + cursor.version() + "/query/" + id + "-" + end);
        }
        body.put("records", cursor.rows().subList(offset, end));
        return EmulatorResponse.json(200, body);
    }

    /** Sforce-Query-Options: batchSize=N is a hint between 200 and 2,000 (§2.1); without it, the configured size. */
    private int batchSize(EmulatorRequest request) {
        String header = request.header("Sforce-Query-Options");
        Matcher m = header == null ? null : BATCH_SIZE.matcher(header);
        if (m == null || !m.find()) {
            return defaultBatchSize;
        }
        return Math.max(200, Math.min(2000, Integer.parseInt(m.group(1))));
    }
}
