package io.tenantml.webhooks.internal;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.Startup;
import io.tenantml.security.PlatformSecrets;
import io.tenantml.shared.TenantId;
import io.tenantml.webhooks.WebhooksConfig;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Endpoints' signing secrets as stored ({@link SecretCipher} under the platform's webhook key) and the pass that
 * encrypts those still stored in clear. The key comes from {@code tenantml.webhooks.secret-key}, else from a
 * file created once in the shared data directory. Started with the application, so that a malformed key stops
 * the start naming the property rather than the first delivery; a well-formed but wrong key only fails the
 * deliveries (see {@link SecretCipher#open}).
 */
@Startup
@ApplicationScoped
public class WebhookSecrets {

    private static final Logger LOG = Logger.getLogger(WebhookSecrets.class);

    @Inject
    WebhooksConfig config;

    @Inject
    PlatformSecrets platformSecrets;

    @Inject
    AgroalDataSource dataSource;

    private SecretCipher cipher;

    /** Ciphers of the keys a key change leaves values under, by key id: read only. */
    private Map<String, SecretCipher> previous = Map.of();

    @PostConstruct
    void init() {
        byte[] key = config.secretKey()
                .map(base64 -> configuredKey(base64, "tenantml.webhooks.secret-key"))
                .orElseGet(() -> HexFormat.of()
                        .parseHex(platformSecrets.generated(
                                "webhook-secret.key",
                                "tenantml.webhooks.secret-key",
                                "webhook signing secrets are encrypted with it")));
        cipher = new SecretCipher(key);
        Map<String, SecretCipher> byId = new LinkedHashMap<>();
        for (String base64 : config.previousSecretKeys().orElse(List.of())) {
            SecretCipher old = new SecretCipher(configuredKey(base64, "tenantml.webhooks.previous-secret-keys"));
            if (!old.keyId().equals(cipher.keyId())) {
                byId.put(old.keyId(), old);
            }
        }
        previous = Map.copyOf(byId);
        LOG.infof(
                "Webhook signing secrets are encrypted under webhook key %s%s",
                cipher.keyId(), previous.isEmpty() ? "" : "; still read under " + String.join(", ", previous.keySet()));
    }

    private static byte[] configuredKey(String base64, String property) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            key = new byte[0];
        }
        if (key.length != SecretCipher.KEY_BYTES) {
            throw new IllegalStateException(property + " must hold base64 of " + SecretCipher.KEY_BYTES
                    + " bytes per key, e.g. the output of: openssl rand -base64 32");
        }
        return key;
    }

    /** The value to store for an endpoint's (current) secret. */
    public String seal(String secret, TenantId tenant, UUID endpoint) {
        return cipher.seal(secret, tenant, endpoint);
    }

    /** The value to store for an endpoint's previous secret, which signs until {@code until}. */
    public String sealPrevious(String secret, TenantId tenant, UUID endpoint, Instant until) {
        return cipher.sealPrevious(secret, tenant, endpoint, until);
    }

    /** The secret to sign with, under the current key or a previous one; never a value stored in clear. */
    public String open(String stored, TenantId tenant, UUID endpoint) throws SecretCipher.Unreadable {
        return readerOf(stored).open(stored, tenant, endpoint);
    }

    /** The previous secret, stored with expiry {@code until}, under the current key or a previous one. */
    public String openPrevious(String stored, TenantId tenant, UUID endpoint, Instant until)
            throws SecretCipher.Unreadable {
        return readerOf(stored).openPrevious(stored, tenant, endpoint, until);
    }

    private SecretCipher readerOf(String stored) {
        SecretCipher old = previous.get(SecretCipher.keyIdOf(stored));
        return old == null ? cipher : old;
    }

    /**
     * A stored value of one endpoint: its secret ({@code previousUntil} null), or its previous secret with the expiry
     * stored beside it.
     */
    private record Stored(UUID endpoint, TenantId tenant, String value, Instant previousUntil) {}

    /**
     * Brings every stored secret, current and previous, under the current key: encrypts current secrets still in
     * clear (written before secrets were encrypted; the only reader of clear values) and re-encrypts values under a
     * previous key. Each value is replaced by a compare-and-set on the value read: nodes that run this at once each
     * encrypt with a nonce of their own, the first update wins and the others match no row; so does a rotation or the
     * expiry sweep that changed the value meanwhile. Idempotent; each update commits on its own. A value under a key
     * that is neither current nor previous, damaged, or a previous secret in clear (no version writes one) is left as
     * it is (its deliveries say why).
     *
     * @return values this call encrypted or re-encrypted
     */
    public int sealUnderCurrentKey() throws SQLException {
        String underCurrentKey = SecretCipher.PREFIX + cipher.keyId() + ":";
        List<Stored> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("select id, tenant_id, secret, previous_secret, "
                    + "previous_secret_expires_at from webhook_endpoint where secret not like ? "
                    + "or previous_secret not like ?")) {
                ps.setString(1, underCurrentKey + "%");
                ps.setString(2, underCurrentKey + "%");
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        UUID endpoint = rs.getObject(1, UUID.class);
                        TenantId tenant = new TenantId(rs.getString(2));
                        String secret = rs.getString(3);
                        String previousSecret = rs.getString(4);
                        if (!secret.startsWith(underCurrentKey)) {
                            rows.add(new Stored(endpoint, tenant, secret, null));
                        }
                        if (previousSecret != null && !previousSecret.startsWith(underCurrentKey)) {
                            rows.add(new Stored(
                                    endpoint,
                                    tenant,
                                    previousSecret,
                                    rs.getTimestamp(5).toInstant()));
                        }
                    }
                }
            }
            int sealed = 0;
            int unreadable = 0;
            try (PreparedStatement current = c.prepareStatement(
                            "update webhook_endpoint set secret = ? where id = ? and tenant_id = ? and secret = ?");
                    PreparedStatement previousSecret = c.prepareStatement("update webhook_endpoint set "
                            + "previous_secret = ? where id = ? and tenant_id = ? and previous_secret = ?")) {
                for (Stored row : rows) {
                    String resealed = resealed(row);
                    if (resealed == null) {
                        unreadable++;
                        continue;
                    }
                    PreparedStatement ps = row.previousUntil() == null ? current : previousSecret;
                    ps.setString(1, resealed);
                    ps.setObject(2, row.endpoint());
                    ps.setString(3, row.tenant().value());
                    ps.setString(4, row.value());
                    sealed += ps.executeUpdate();
                }
            }
            if (sealed > 0) {
                LOG.infof("Encrypted %d webhook signing secrets under webhook key %s", sealed, cipher.keyId());
            }
            if (unreadable > 0) {
                LOG.warnf(
                        "%d webhook signing secrets are stored under a key that is neither the webhook key nor a "
                                + "previous one (tenantml.webhooks.previous-secret-keys), or are damaged: their "
                                + "deliveries fail until that key is given",
                        unreadable);
            }
            return sealed;
        }
    }

    /** The value under the current key, bound as before; null when it cannot be read. */
    private String resealed(Stored row) {
        try {
            if (row.previousUntil() != null) {
                String secret = openPrevious(row.value(), row.tenant(), row.endpoint(), row.previousUntil());
                return cipher.sealPrevious(secret, row.tenant(), row.endpoint(), row.previousUntil());
            }
            String secret =
                    SecretCipher.encrypted(row.value()) ? open(row.value(), row.tenant(), row.endpoint()) : row.value();
            return cipher.seal(secret, row.tenant(), row.endpoint());
        } catch (SecretCipher.Unreadable e) {
            return null;
        }
    }
}
