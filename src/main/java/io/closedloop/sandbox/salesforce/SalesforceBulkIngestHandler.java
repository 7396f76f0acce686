package io.closedloop.sandbox.salesforce;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.closedloop.sandbox.http.EmulatorRequest;
import io.closedloop.sandbox.http.EmulatorResponse;
import io.closedloop.sandbox.salesforce.SalesforceOrg.ValidationException;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;

/**
 * Bulk API 2.0 ingest (reference §5): create a job, one CSV upload, {@code UploadComplete}, then {@code InProgress} at
 * the first status read and {@code JobComplete} or {@code Failed} at the next; results as CSV in an order other than
 * the upload's. Each row goes through the same upsert as sObject Collections.
 */
final class SalesforceBulkIngestHandler {
    private static final CsvMapper CSV = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY);
    /** The null marker of a Bulk CSV (§5.2; UNCONFIRMED for 2.0); an empty value leaves the field as it is. */
    private static final String NULL = "#N/A";

    private static final class Job {
        final String id;
        final String object;
        final String operation;
        final String externalIdFieldName;
        final String lineEnding;
        final String createdDate;
        String state = "Open";
        String csv;
        String errorMessage;
        List<String> header = List.of();
        final List<List<String>> succeeded = new ArrayList<>();
        final List<List<String>> failed = new ArrayList<>();
        final List<List<String>> unprocessed = new ArrayList<>();

        Job(String id, String object, String operation, String externalIdFieldName, String lineEnding, String createdDate) {
            this.id = id;
            this.object = object;
            this.operation = operation;
            this.externalIdFieldName = externalIdFieldName;
            this.lineEnding = lineEnding;
            this.createdDate = createdDate;
        }
    }

    private final SalesforceOrg org;
    private final SalesforceBulkAllocation allocation;
    private final Clock clock;
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();

    SalesforceBulkIngestHandler(SalesforceOrg org, SalesforceBulkAllocation allocation, Clock clock) {
        this.org = org;
        this.allocation = allocation;
        this.clock = clock;
    }

    /** §5.1: {@code object}, {@code operation} and, for upsert, {@code externalIdFieldName}; CSV only. */
    EmulatorResponse create(EmulatorRequest request, Matcher path) {
        Map<String, Object> body = SalesforceErrors.readObject(request.body());
        String object = text(body.get("object"));
        String operation = text(body.get("operation"));
        SalesforceObjectType type = object == null ? null : org.schema().object(object);
        if (type == null) {
            // error codes of a bad job definition are UNCONFIRMED (§5.1 gives none)
            throw SalesforceErrors.fail(400, "INVALIDJOB", "InvalidJob : Unable to find object: " + object);
        }
        if (!"upsert".equals(operation) && !"insert".equals(operation)) {
            throw SalesforceErrors.fail(400, "INVALIDJOB", "InvalidJob : the emulator ingests insert and upsert, not " + operation);
        }
        String extField = text(body.get("externalIdFieldName"));
        if ("upsert".equals(operation)) {
            if (extField == null) {
                throw SalesforceErrors.fail(400, "INVALIDJOB", "InvalidJob : External ID was blank for " + type.name()
                        + ". An External ID must be specified for upsert.");
            }
            extField = SalesforceCollectionsHandler.externalIdField(type, extField).name();
        }
        String contentType = text(body.getOrDefault("contentType", "CSV"));
        String delimiter = text(body.getOrDefault("columnDelimiter", "COMMA"));
        String lineEnding = text(body.getOrDefault("lineEnding", "LF"));
        if (!"CSV".equals(contentType) || !"COMMA".equals(delimiter) || !("LF".equals(lineEnding) || "CRLF".equals(lineEnding))) {
            throw SalesforceErrors.fail(400, "INVALIDJOB", "InvalidJob : the emulator takes CSV with COMMA and LF or CRLF");
        }
        String id = SalesforceIds.to18(String.format(Locale.ROOT, "7505e%010d", sequence.incrementAndGet()));
        Job job = new Job(id, type.name(), operation, extField, lineEnding, SalesforceValues.DATETIME_OUT.format(clock.instant()));
        jobs.put(id, job);
        return EmulatorResponse.json(200, info(job, path.group(1)));
    }

    /** §5.2: one CSV upload per job, while it is Open. */
    EmulatorResponse upload(EmulatorRequest request, Matcher path) {
        Job job = job(path.group(2));
        String contentType = request.header("Content-Type");
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("text/csv")) {
            throw SalesforceErrors.fail(400, "INVALIDCONTENTTYPE", "Content-Type must be text/csv");
        }
        synchronized (job) {
            if (!"Open".equals(job.state) || job.csv != null) {
                // one upload per job (§5.2, second-batch-notes §2); the code is UNCONFIRMED
                throw SalesforceErrors.fail(409, "INVALIDJOBSTATE", "Job " + job.id + " is not open for data: state "
                        + job.state + (job.csv != null ? ", data already uploaded" : ""));
            }
            job.csv = request.body() == null ? "" : request.body();
        }
        return new EmulatorResponse(201, new LinkedHashMap<>(), "");
    }

    /** §5.3: {@code UploadComplete} queues the job; {@code Aborted} cancels it. */
    EmulatorResponse close(EmulatorRequest request, Matcher path) {
        Job job = job(path.group(2));
        String state = text(SalesforceErrors.readObject(request.body()).get("state"));
        synchronized (job) {
            if (!"Open".equals(job.state) || !("UploadComplete".equals(state) || "Aborted".equals(state))) {
                throw SalesforceErrors.fail(400, "INVALIDJOBSTATE", "Cannot move job " + job.id + " from " + job.state + " to " + state);
            }
            job.state = state;
        }
        return EmulatorResponse.json(200, info(job, path.group(1)));
    }

    /** §5.4: the first read after UploadComplete sees InProgress (the rows are processed then), the next the outcome. */
    EmulatorResponse status(EmulatorRequest request, Matcher path) {
        Job job = job(path.group(2));
        synchronized (job) {
            if ("InProgress".equals(job.state)) {
                job.state = job.errorMessage != null ? "Failed" : "JobComplete";
            } else if ("UploadComplete".equals(job.state)) {
                process(job);
                job.state = "InProgress";
            }
        }
        return EmulatorResponse.json(200, info(job, path.group(1)));
    }

    EmulatorResponse successfulResults(EmulatorRequest request, Matcher path) {
        Job job = finished(path.group(2));
        return csv(prefixed(List.of("sf__Id", "sf__Created"), job.header), job.succeeded);
    }

    EmulatorResponse failedResults(EmulatorRequest request, Matcher path) {
        Job job = finished(path.group(2));
        return csv(prefixed(List.of("sf__Id", "sf__Error"), job.header), job.failed);
    }

    EmulatorResponse unprocessedRecords(EmulatorRequest request, Matcher path) {
        Job job = finished(path.group(2));
        return csv(job.header, job.unprocessed);
    }

    private void process(Job job) {
        List<List<String>> rows;
        try {
            rows = parse(job.csv == null ? "" : job.csv, job.lineEnding);
        } catch (IOException e) {
            job.errorMessage = "InvalidBatch : Failed to parse CSV";
            return;
        }
        if (rows.isEmpty()) {
            // a job without data fails (observed wording UNCONFIRMED)
            job.errorMessage = "InvalidBatch : Records not found";
            return;
        }
        job.header = rows.get(0);
        List<List<String>> data = rows.subList(1, rows.size());
        SalesforceObjectType type = org.schema().object(job.object);
        for (String column : job.header) {
            if (type.field(column) == null) {
                // Bulk's wording for an unknown column (observed for Bulk 1.0; UNCONFIRMED for 2.0)
                job.errorMessage = "InvalidBatch : Field name not found : " + column;
                job.unprocessed.addAll(data);
                return;
            }
        }
        if (!allocation.consume(data.size())) {
            // the answer to a spent Bulk allocation is UNCONFIRMED; the rows stay unprocessed
            job.errorMessage = "ExceededQuota : the daily Bulk API allocation is spent";
            job.unprocessed.addAll(data);
            return;
        }
        SalesforceField extField = job.externalIdFieldName == null ? null : type.field(job.externalIdFieldName);
        for (List<String> row : data) {
            Map<String, Object> fields = new LinkedHashMap<>();
            for (int i = 0; i < job.header.size(); i++) {
                String value = i < row.size() ? row.get(i) : "";
                if (!value.isEmpty()) {
                    fields.put(job.header.get(i), NULL.equals(value) ? null : value);
                }
            }
            try {
                SalesforceOrg.SaveOutcome outcome = extField == null
                        ? new SalesforceOrg.SaveOutcome(org.create(type.name(), fields, true), true)
                        : SalesforceCollectionsHandler.upsertOne(org, type, extField, fields);
                job.succeeded.add(prefixed(List.of(outcome.id(), Boolean.toString(outcome.created())), row));
            } catch (ValidationException e) {
                job.failed.add(prefixed(List.of("", error(e)), row));
            }
        }
        // results come in no guaranteed order (§5.5): never the upload's
        java.util.Collections.reverse(job.succeeded);
        java.util.Collections.reverse(job.failed);
    }

    /** {@code STATUS_CODE:message}, with the fields as in the §5.5 example (its exact format is illustrative). */
    private static String error(ValidationException e) {
        String fields = e.fields().isEmpty() ? "" : ":" + String.join(",", e.fields());
        return e.statusCode() + ":" + e.getMessage() + fields + " --";
    }

    private static List<List<String>> parse(String csv, String lineEnding) throws IOException {
        List<List<String>> rows = new ArrayList<>();
        try (MappingIterator<List<String>> it = CSV.readerForListOf(String.class).with(CsvSchema.emptySchema()).readValues(csv)) {
            while (it.hasNextValue()) {
                List<String> row = it.nextValue();
                if (!(row.size() == 1 && row.get(0).isEmpty())) {
                    rows.add(row);
                }
            }
        }
        return rows;
    }

    private static EmulatorResponse csv(List<String> header, List<List<String>> rows) {
        try {
            List<List<String>> all = new ArrayList<>();
            all.add(header);
            all.addAll(rows);
            return EmulatorResponse.text(200, "text/csv", CSV.writerFor(List.class).with(CsvSchema.emptySchema()).writeValueAsString(all));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> prefixed(List<String> prefix, List<String> row) {
        List<String> out = new ArrayList<>(prefix);
        out.addAll(row);
        return out;
    }

    private Job job(String id) {
        Job job = jobs.get(SalesforceIds.wellFormed(id) ? SalesforceIds.to18(id) : id);
        if (job == null) {
            throw SalesforceErrors.notFound();
        }
        return job;
    }

    private Job finished(String id) {
        Job job = job(id);
        synchronized (job) {
            if (!"JobComplete".equals(job.state) && !"Failed".equals(job.state)) {
                // results of an unfinished job: code UNCONFIRMED
                throw SalesforceErrors.fail(400, "INVALIDJOBSTATE", "Job " + job.id + " is not finished: state " + job.state);
            }
            return job;
        }
    }

    private Map<String, Object> info(Job job, String version) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", job.id);
        out.put("operation", job.operation);
        out.put("object", job.object);
        out.put("createdById", org.userId());
        out.put("createdDate", job.createdDate);
        out.put("systemModstamp", SalesforceValues.DATETIME_OUT.format(clock.instant()));
        out.put("state", job.state);
        if (job.externalIdFieldName != null) {
            out.put("externalIdFieldName", job.externalIdFieldName);
        }
        out.put("concurrencyMode", "Parallel");
        out.put("contentType", "CSV");
        out.put("apiVersion", Double.parseDouble(version.substring(1)));
        out.put("jobType", "V2Ingest");
        out.put("contentUrl", "services/data/" + version + "/jobs/ingest/" + job.id + "/batches");
        out.put("lineEnding", job.lineEnding);
        out.put("columnDelimiter", "COMMA");
        out.put("numberRecordsProcessed", job.succeeded.size() + job.failed.size());
        out.put("numberRecordsFailed", job.failed.size());
        out.put("retries", 0);
        if (job.errorMessage != null && !"InProgress".equals(job.state)) {
            out.put("errorMessage", job.errorMessage);
        }
        return out;
    }

    private static String text(Object o) {
        return o == null ? null : o.toString();
    }
}
