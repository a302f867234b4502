package io.tenantml.usage;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Every limit of the tenant's plan that counts something it has (not the per-request limits and rates, which
 * {@code GET plan} shows), beside that count; a bounded list, so not a page.
 */
@Schema(description = "The tenant's count and storage limits beside what it has now")
public record QuotaUsage(String tenant, List<QuotaUse> quotas) {}
