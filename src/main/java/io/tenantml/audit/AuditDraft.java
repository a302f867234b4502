package io.tenantml.audit;

import io.tenantml.shared.TenantId;
import io.tenantml.shared.Texts;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An entry to append.
 *
 * @param tenant the tenant's chain, or empty for the platform's chain (tenant on- and offboarding)
 */
public record AuditDraft(
        Optional<TenantId> tenant,
        Actor actor,
        String requestId,
        String action,
        String target,
        Map<String, String> summary) {

    public AuditDraft {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        target = clean(target == null ? "" : target, 400);
        requestId = requestId == null ? "" : requestId;
        Map<String, String> cleaned = new TreeMap<>();
        if (summary != null) {
            summary.forEach((k, v) -> {
                if (v != null) {
                    cleaned.put(clean(k, 200), clean(v, 2000));
                }
            });
        }
        summary = Map.copyOf(cleaned);
    }

    /** PostgreSQL text cannot hold NUL; long values are cut (a summary names the change, it is no copy of it). */
    private static String clean(String value, int max) {
        String s = value.replace((char) 0, '\uFFFD');
        return s.length() <= max ? s : Texts.cut(s, max - 1) + "\u2026";
    }
}
