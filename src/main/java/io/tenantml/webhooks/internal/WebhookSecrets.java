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

    /** The value to store for a new endpoint's secret. */
    public String seal(String secret, TenantId tenant, UUID endpoint) {
        return cipher.seal(secret, tenant, endpoint);
    }

    /** The secret to sign with, under the current key or a previous one; never a value stored in clear. */
    public String open(String stored, TenantId tenant, UUID endpoint) throws SecretCipher.Unreadable {
        SecretCipher old = previous.get(SecretCipher.keyIdOf(stored));
        return (old == null ? cipher : old).open(stored, tenant, endpoint);
    }

    private record Stored(UUID endpoint, TenantId tenant, String value) {}

    /**
     * Brings every stored secret under the current key: encrypts those still in clear (written before secrets were
     * encrypted; the only reader of clear values) and re-encrypts those under a previous key. Each row is replaced
     * by a compare-and-set on the value read: nodes that run this at once each encrypt with a nonce of their own,
     * the first update wins and the others match no row. Idempotent; each update commits on its own. A value under
     * a key that is neither current nor previous, or damaged, is left as it is (its deliveries say why).
     *
     * @return secrets this call encrypted or re-encrypted
     */
    public int sealUnderCurrentKey() throws SQLException {
        List<Stored> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps =
                    c.prepareStatement("select id, tenant_id, secret from webhook_endpoint where secret not like ?")) {
                ps.setString(1, SecretCipher.PREFIX + cipher.keyId() + ":%");
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new Stored(
                                rs.getObject(1, UUID.class), new TenantId(rs.getString(2)), rs.getString(3)));
                    }
                }
            }
            int sealed = 0;
            int unreadable = 0;
            try (PreparedStatement ps = c.prepareStatement(
                    "update webhook_endpoint set secret = ? where id = ? and tenant_id = ? and secret = ?")) {
                for (Stored row : rows) {
                    String secret;
                    if (!SecretCipher.encrypted(row.value())) {
                        secret = row.value();
                    } else {
                        try {
                            secret = open(row.value(), row.tenant(), row.endpoint());
                        } catch (SecretCipher.Unreadable e) {
                            unreadable++;
                            continue;
                        }
                    }
                    ps.setString(1, cipher.seal(secret, row.tenant(), row.endpoint()));
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
}
