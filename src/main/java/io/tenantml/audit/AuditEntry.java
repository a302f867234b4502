package io.tenantml.audit;

import java.time.Instant;
import java.util.Map;

/**
 * One recorded action.
 *
 * @param id        global order of entries (also the cursor of lists)
 * @param tenant    the tenant whose chain holds the entry; absent for the platform's chain
 * @param seq       position in its chain, from 1, without gaps
 * @param requestId the request that made the change ({@code X-Request-Id}), or the run for background work
 * @param action    what was done: {@code model.alias.moved}, or for entries the request filter wrote,
 *                  the method and route template ({@code PUT /api/v1/tenants/{tenant}/models/{model}})
 * @param target    what it was done to ({@code model=species, alias=production})
 * @param summary   the change in a few named values
 * @param prevHash  the previous entry's hash (64 zeros for the first)
 * @param hash      SHA-256 over {@code prevHash} and the entry's canonical content
 */
public record AuditEntry(
        long id,
        String tenant,
        long seq,
        Instant at,
        Actor actor,
        String requestId,
        String action,
        String target,
        Map<String, String> summary,
        String prevHash,
        String hash) {}
