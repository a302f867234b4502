package io.tenantml.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.arc.Arc;
import io.tenantml.audit.internal.AuditHash;
import io.tenantml.audit.internal.AuditRequest;
import io.tenantml.security.CurrentPrincipal;
import io.tenantml.security.PlatformPrincipal;
import io.tenantml.shared.Page;
import io.tenantml.shared.PageRequest;
import io.tenantml.shared.TenantId;
import io.tenantml.tenancy.TenantContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The audit trail. Features record what they change with {@link #record(String, String, Map)} inside the
 * transaction of the change, so an entry exists exactly when its change committed; the request filter
 * records every other successful mutating request after its commit. Each tenant's entries form a hash
 * chain; appends to one chain are serialised by a transaction-scoped advisory lock on the chain, so two
 * concurrent appends never take the same position or link to the same predecessor.
 */
@ApplicationScoped
public class Audit {

    /** The chain of platform-level actions (tenant on- and offboarding): never a valid tenant id. */
    public static final String PLATFORM_CHAIN = "_platform";

    /** First key of the advisory locks that serialise appends ('AUDT'); the second is the chain's hash. */
    private static final int LOCK_CLASS = 0x41554454;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMNS = "id, chain, seq, at, actor_kind, actor, role, request_id, action, target,"
            + " cast(summary as text), prev_hash, hash, tenant_id";

    @Inject
    EntityManager em;

    @Inject
    TenantContext tenantContext;

    @Inject
    CurrentPrincipal principal;

    @Inject
    AuditRequest request;

    @Inject
    Clock clock;

    /**
     * Records an action of the current request (or of the background work in the current tenant scope) in
     * the current tenant's chain, in the caller's transaction. The actor is the request's principal, or
     * {@code system:<systemActor>} in background work.
     */
    @Transactional(Transactional.TxType.REQUIRED)
    public AuditEntry record(String action, String target, Map<String, String> summary) {
        return record(action, target, summary, "platform");
    }

    /** {@link #record(String, String, Map)} naming the system part that acts when no person does. */
    @Transactional(Transactional.TxType.REQUIRED)
    public AuditEntry record(String action, String target, Map<String, String> summary, String systemActor) {
        AuditEntry entry = append(new AuditDraft(
                Optional.of(tenantContext.require()), currentActor(systemActor), requestId(), action, target, summary));
        if (requestActive()) {
            request.markRecorded();
        }
        return entry;
    }

    /**
     * Records what the platform itself did, as {@code system:<systemActor>}, also when a request set it off (the
     * retention a new version applies): the request's own entry is still recorded, with the request's id shared
     * by both.
     */
    @Transactional(Transactional.TxType.REQUIRED)
    public AuditEntry recordBySystem(String action, String target, Map<String, String> summary, String systemActor) {
        return append(new AuditDraft(
                Optional.of(tenantContext.require()), Actor.system(systemActor), requestId(), action, target, summary));
    }

    /** Appends a fully described entry (the request filter, or a caller acting outside any request). */
    @Transactional(Transactional.TxType.REQUIRED)
    public AuditEntry append(AuditDraft draft) {
        String chain = draft.tenant().map(TenantId::value).orElse(PLATFORM_CHAIN);
        em.createNativeQuery("select 1 from (select pg_advisory_xact_lock(:cls, hashtext(:chain))) locked")
                .setParameter("cls", LOCK_CLASS)
                .setParameter("chain", chain)
                .getSingleResult();
        @SuppressWarnings("unchecked")
        List<Object[]> last = em.createNativeQuery(
                        "select seq, hash from audit_entry where chain = :chain order by seq desc limit 1")
                .setParameter("chain", chain)
                .getResultList();
        long seq = last.isEmpty() ? 1 : ((Number) last.get(0)[0]).longValue() + 1;
        String prev = last.isEmpty() ? AuditHash.GENESIS : (String) last.get(0)[1];
        Instant at = clock.instant();
        Actor actor = draft.actor();
        Map<String, String> summary = new TreeMap<>(draft.summary());
        String hash = AuditHash.hash(
                prev,
                new AuditHash.Content(
                        chain,
                        seq,
                        at,
                        actor.kind().wireName(),
                        actor.subject(),
                        actor.role().wireName(),
                        draft.requestId(),
                        draft.action(),
                        draft.target(),
                        summary));
        long id = ((Number) em.createNativeQuery("select nextval('audit_entry_id_seq')")
                        .getSingleResult())
                .longValue();
        em.createNativeQuery("insert into audit_entry (id, tenant_id, chain, seq, at, actor_kind, actor, role,"
                        + " request_id, action, target, summary, prev_hash, hash) values (:id, :tenant, :chain, :seq,"
                        + " :at, :kind, :actor, :role, :requestId, :action, :target, cast(:summary as jsonb), :prev,"
                        + " :hash)")
                .setParameter("id", id)
                .setParameter("tenant", draft.tenant().map(TenantId::value).orElse(null))
                .setParameter("chain", chain)
                .setParameter("seq", seq)
                .setParameter("at", OffsetDateTime.ofInstant(at, ZoneOffset.UTC))
                .setParameter("kind", actor.kind().wireName())
                .setParameter("actor", actor.subject())
                .setParameter("role", actor.role().wireName())
                .setParameter("requestId", draft.requestId())
                .setParameter("action", draft.action())
                .setParameter("target", draft.target())
                .setParameter("summary", write(summary))
                .setParameter("prev", prev)
                .setParameter("hash", hash)
                .executeUpdate();
        return new AuditEntry(
                id,
                draft.tenant().map(TenantId::value).orElse(null),
                seq,
                at,
                actor,
                draft.requestId(),
                draft.action(),
                draft.target(),
                summary,
                prev,
                hash);
    }

    /** Who acts now: the request's principal, else the named system part. */
    public Actor currentActor(String systemActor) {
        if (requestActive()) {
            Optional<PlatformPrincipal> p = principal.get();
            if (p.isPresent()) {
                return of(p.get());
            }
        }
        return Actor.system(systemActor);
    }

    /** The actor a verified principal is recorded as. */
    public static Actor of(PlatformPrincipal p) {
        return new Actor(ActorKind.fromWire(p.credential()), p.subject(), ActorRole.of(p.role()));
    }

    /** Filters of a list; null parts do not filter. {@code to} is exclusive. */
    public record Filter(String action, String actor, Instant from, Instant to) {}

    /** The current tenant's entries, newest first. */
    public Page<AuditEntry> list(Filter filter, PageRequest page) {
        return list(Optional.of(tenantContext.require().value()), filter, page);
    }

    /** Every chain's entries (operators), newest first. */
    public Page<AuditEntry> listAll(Filter filter, PageRequest page) {
        return list(Optional.empty(), filter, page);
    }

    private Page<AuditEntry> list(Optional<String> chain, Filter filter, PageRequest page) {
        List<String> after = page.after("audit", 1);
        StringBuilder sql = new StringBuilder("select " + COLUMNS + " from audit_entry where true");
        Map<String, Object> params = new LinkedHashMap<>();
        chain.ifPresent(c -> {
            sql.append(" and chain = :chain");
            params.put("chain", c);
        });
        if (after != null) {
            sql.append(" and id < :after");
            params.put("after", PageRequest.value(after.get(0), Long::parseLong));
        }
        if (filter.action() != null) {
            sql.append(" and action = :action");
            params.put("action", filter.action());
        }
        if (filter.actor() != null) {
            sql.append(" and actor = :actor");
            params.put("actor", filter.actor());
        }
        if (filter.from() != null) {
            sql.append(" and at >= :from");
            params.put("from", OffsetDateTime.ofInstant(filter.from(), ZoneOffset.UTC));
        }
        if (filter.to() != null) {
            sql.append(" and at < :to");
            params.put("to", OffsetDateTime.ofInstant(filter.to(), ZoneOffset.UTC));
        }
        sql.append(" order by id desc");
        Query query = em.createNativeQuery(sql.toString());
        params.forEach(query::setParameter);
        @SuppressWarnings("unchecked")
        List<Object[]> rows = query.setMaxResults(page.fetchSize()).getResultList();
        List<AuditEntry> entries = rows.stream().map(Audit::entry).toList();
        return page.page(entries, "audit", e -> List.of(Long.toString(e.id())));
    }

    /** Recomputes the current tenant's chain. */
    public AuditVerification verify() {
        return verify(tenantContext.require().value());
    }

    /** Recomputes the platform's chain. */
    public AuditVerification verifyPlatform() {
        return verify(PLATFORM_CHAIN);
    }

    private AuditVerification verify(String chain) {
        String prev = AuditHash.GENESIS;
        long expectedSeq = 1;
        long checked = 0;
        String tenant = PLATFORM_CHAIN.equals(chain) ? null : chain;
        while (true) {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery("select " + COLUMNS
                            + " from audit_entry where chain = :chain and seq >= :from order by seq")
                    .setParameter("chain", chain)
                    .setParameter("from", expectedSeq)
                    .setMaxResults(1000)
                    .getResultList();
            if (rows.isEmpty()) {
                return new AuditVerification(tenant, true, checked, checked == 0 ? null : prev, null);
            }
            for (Object[] row : rows) {
                // Read as stored, not as an AuditEntry: a changed row whose actor kind or role is no longer one
                // of the enums' names is a content break to report, not an error of the verification.
                long id = ((Number) row[0]).longValue();
                long seq = ((Number) row[2]).longValue();
                String prevHash = (String) row[11];
                String hash = (String) row[12];
                ChainBreak problem = null;
                String detail = null;
                if (seq != expectedSeq) {
                    problem = ChainBreak.GAP;
                    detail = "entries " + expectedSeq + " to " + (seq - 1) + " are missing";
                } else if (!prevHash.equals(prev)) {
                    problem = ChainBreak.LINK;
                    detail = "its previous hash is not the hash of entry " + (seq - 1);
                } else {
                    String recomputed = AuditHash.hash(prev, content(chain, row));
                    if (!recomputed.equals(hash)) {
                        problem = ChainBreak.CONTENT;
                        detail = "its content no longer hashes to its stored hash";
                    }
                }
                if (problem != null) {
                    return new AuditVerification(
                            tenant,
                            false,
                            checked,
                            prev,
                            new AuditVerification.BrokenEntry(
                                    id, seq, instant(row[3]), (String) row[8], problem, detail));
                }
                prev = hash;
                expectedSeq++;
                checked++;
            }
        }
    }

    /** A row of {@link #COLUMNS} as hashed: its strings as stored. */
    private static AuditHash.Content content(String chain, Object[] r) {
        return new AuditHash.Content(
                chain,
                ((Number) r[2]).longValue(),
                instant(r[3]),
                (String) r[4],
                (String) r[5],
                (String) r[6],
                (String) r[7],
                (String) r[8],
                (String) r[9],
                read((String) r[10]));
    }

    private static AuditEntry entry(Object[] r) {
        return new AuditEntry(
                ((Number) r[0]).longValue(),
                (String) r[13],
                ((Number) r[2]).longValue(),
                instant(r[3]),
                new Actor(ActorKind.fromWire((String) r[4]), (String) r[5], ActorRole.fromWire((String) r[6])),
                (String) r[7],
                (String) r[8],
                (String) r[9],
                read((String) r[10]),
                (String) r[11],
                (String) r[12]);
    }

    private static Instant instant(Object value) {
        return switch (value) {
            case Instant i -> i;
            case OffsetDateTime o -> o.toInstant();
            case Timestamp t -> t.toInstant();
            case java.time.ZonedDateTime z -> z.toInstant();
            default -> throw new IllegalStateException("unexpected time type " + value.getClass());
        };
    }

    private String requestId() {
        return requestActive()
                ? request.requestId()
                : java.util.UUID.randomUUID().toString();
    }

    private static boolean requestActive() {
        return Arc.container().requestContext().isActive();
    }

    private static String write(Map<String, String> summary) {
        try {
            return JSON.writeValueAsString(summary);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> read(String json) {
        try {
            Map<String, String> map = JSON.readValue(json, new TypeReference<Map<String, String>>() {});
            return new TreeMap<>(map);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("audit summary unreadable", e);
        }
    }

    /** Summary maps without nulls (absent values are left out, not written as "null"). */
    public static Map<String, String> summary(String... keysAndValues) {
        Map<String, String> map = new TreeMap<>();
        for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
            if (keysAndValues[i + 1] != null) {
                map.put(keysAndValues[i], keysAndValues[i + 1]);
            }
        }
        return map;
    }
}
