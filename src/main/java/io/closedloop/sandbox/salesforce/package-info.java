/**
 * A local Salesforce REST API for tests and the benchmark, built on {@code io.closedloop.sandbox.http}.
 * Journal endpoint names: salesforce.token, salesforce.revoke, salesforce.versions, salesforce.query,
 * salesforce.query.more, salesforce.collections.create, salesforce.collections.update, salesforce.collections.upsert,
 * salesforce.collections.delete, salesforce.composite, salesforce.sobject.create, salesforce.sobject.get,
 * salesforce.sobject.update, salesforce.sobject.upsert, salesforce.describe, salesforce.limits (and salesforce.unknown for unmatched paths).
 */
package io.closedloop.sandbox.salesforce;
