package io.tenantml.audit;

import java.time.Instant;

/**
 * The result of recomputing a chain.
 *
 * @param intact      whether every entry's hash and link recompute to what is stored
 * @param entries     how many entries were checked
 * @param headHash    the last entry's stored hash (null for an empty chain)
 * @param firstBroken the first entry whose content, link or position does not match; null when intact
 */
public record AuditVerification(String tenant, boolean intact, long entries, String headHash, BrokenEntry firstBroken) {

    /** @param problem what does not match */
    public record BrokenEntry(long id, long seq, Instant at, String action, ChainBreak problem, String detail) {}
}
