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
import java.util.List;
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

    @PostConstruct
    void init() {
        byte[] key = config.secretKey()
                .map(WebhookSecrets::configuredKey)
                .orElseGet(() -> HexFormat.of()
                        .parseHex(platformSecrets.generated(
                                "webhook-secret.key",
                                "tenantml.webhooks.secret-key",
                                "webhook signing secrets are encrypted with it")));
        cipher = new SecretCipher(key);
        LOG.infof("Webhook signing secrets are encrypted under webhook key %s", cipher.keyId());
    }

    private static byte[] configuredKey(String base64) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            key = new byte[0];
        }
        if (key.length != SecretCipher.KEY_BYTES) {
            throw new IllegalStateException("tenantml.webhooks.secret-key (TENANTML_WEBHOOKS_SECRET_KEY) must be "
                    + "base64 of " + SecretCipher.KEY_BYTES + " bytes, e.g. the output of: openssl rand -base64 32");
        }
        return key;
    }

    /** The value to store for a new endpoint's secret. */
    public String seal(String secret, TenantId tenant, UUID endpoint) {
        return cipher.seal(secret, tenant, endpoint);
    }

    /** The secret to sign with; never a value stored in clear. */
    public String open(String stored, TenantId tenant, UUID endpoint) throws SecretCipher.Unreadable {
        return cipher.open(stored, tenant, endpoint);
    }

    private record Clear(UUID endpoint, TenantId tenant, String secret) {}

    /**
     * Encrypts every secret still stored in clear (written before secrets were encrypted), the only reader of
     * clear values. Each row is replaced by a compare-and-set on its clear value: nodes that run this at once each
     * encrypt with a nonce of their own, the first update wins and the others match no row. Idempotent; each
     * update commits on its own.
     *
     * @return secrets this call encrypted
     */
    public int encryptClearSecrets() throws SQLException {
        List<Clear> clear = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps =
                    c.prepareStatement("select id, tenant_id, secret from webhook_endpoint where secret not like ?")) {
                ps.setString(1, SecretCipher.PREFIX + "%");
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        clear.add(
                                new Clear(rs.getObject(1, UUID.class), new TenantId(rs.getString(2)), rs.getString(3)));
                    }
                }
            }
            int encrypted = 0;
            try (PreparedStatement ps = c.prepareStatement(
                    "update webhook_endpoint set secret = ? " + "where id = ? and tenant_id = ? and secret = ?")) {
                for (Clear row : clear) {
                    ps.setString(1, cipher.seal(row.secret(), row.tenant(), row.endpoint()));
                    ps.setObject(2, row.endpoint());
                    ps.setString(3, row.tenant().value());
                    ps.setString(4, row.secret());
                    encrypted += ps.executeUpdate();
                }
            }
            if (encrypted > 0) {
                LOG.infof("Encrypted %d webhook signing secrets stored in clear", encrypted);
            }
            return encrypted;
        }
    }
}
