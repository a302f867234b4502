package io.tenantml.identity.internal;

import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.WebTarget;
import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import org.jboss.logging.Logger;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.spi.ResteasyClientProvider;

/**
 * Gives the Keycloak admin client a timeout. Quarkus' admin client extension builds its REST client with none
 * (and offers no setting for one), so a Keycloak that accepts connections but never answers held an onboarding
 * until the JTA reaper cancelled it. This wraps the extension's provider: each client it builds gets the Quarkus
 * REST client's read timeout before the {@link Keycloak} object makes its targets from it (they copy the client's
 * properties then). Vert.x applies that per-request timeout to obtaining the connection as well as to every wait
 * for the answer's bytes, so it bounds connecting too; everything else (TLS, Jackson, logging) stays the
 * extension's.
 */
final class TimeLimitedClientProvider implements ResteasyClientProvider {

    private static final Logger LOG = Logger.getLogger(TimeLimitedClientProvider.class);

    /** The Quarkus REST client's per-request timeout, in milliseconds (a Long, as its ClientBuilder sets it). */
    static final String READ_TIMEOUT = "io.quarkus.rest.client.read-timeout";

    private final ResteasyClientProvider delegate;
    private final long timeoutMillis;

    private TimeLimitedClientProvider(ResteasyClientProvider delegate, Duration timeout) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        this.timeoutMillis = timeout.toMillis();
    }

    /**
     * Wraps the provider the admin client uses; call before the admin client's first use (the extension sets its
     * provider at runtime init, the {@link Keycloak} bean is made at its first call). A provider wrapped before
     * (a restart in the same JVM) is unwrapped first, so the timeout is always the current one.
     */
    static void install(Duration timeout) {
        ResteasyClientProvider current = Keycloak.getClientProvider();
        if (current == null) {
            // the extension sets its provider at static init; without one the admin client is not Quarkus' own
            LOG.warnf("No Keycloak admin client provider to wrap: admin calls run without the %s timeout", timeout);
            return;
        }
        if (current instanceof TimeLimitedClientProvider wrapped) {
            current = wrapped.delegate;
        }
        Keycloak.setClientProvider(new TimeLimitedClientProvider(current, timeout));
    }

    @Override
    public Client newRestEasyClient(Object customJacksonProvider, SSLContext sslContext, boolean disableTrustManager) {
        Client client = delegate.newRestEasyClient(customJacksonProvider, sslContext, disableTrustManager);
        client.property(READ_TIMEOUT, timeoutMillis);
        return client;
    }

    @Override
    public <R> R targetProxy(WebTarget target, Class<R> targetClass) {
        return delegate.targetProxy(target, targetClass);
    }
}
