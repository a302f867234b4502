package io.tenantml.security.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tenantml.security.SecurityConfig;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * Failed authentications per client address, as token buckets (Bucket4j): each failure takes a token, a
 * bucket refills at the configured rate per minute. An address with an empty bucket is refused (429) before
 * any credential lookup, so unknown well-formed keys cannot make the database work without limit; a
 * request whose key is already verified in memory is never refused (it costs nothing, and a tenant behind
 * the same address as an attacker keeps working). Buckets are kept for a bounded number of addresses.
 *
 * <p>Counted: {@code tenantml.security.authentication.failures} and {@code
 * tenantml.security.authentication.throttled} (no tenant tag: the credential was not verified).
 */
@ApplicationScoped
public class FailedAuthenticationLimiter {

    public static final String FAILURES = "tenantml.security.authentication.failures";
    public static final String THROTTLED = "tenantml.security.authentication.throttled";

    @Inject
    SecurityConfig config;

    @Inject
    MeterRegistry registry;

    private Cache<String, Bucket> buckets;
    private Counter failures;
    private Counter throttled;

    @PostConstruct
    void init() {
        SecurityConfig.FailedAuthentications limits = config.failedAuthentications();
        buckets = Caffeine.newBuilder()
                .maximumSize(limits.maxAddresses())
                // A bucket untouched for longer than a full refill is full again: forgetting it changes nothing.
                .expireAfterAccess(Duration.ofMinutes(2))
                .build();
        failures = Counter.builder(FAILURES).register(registry);
        throttled = Counter.builder(THROTTLED).register(registry);
    }

    /**
     * Seconds until the address may try again when it used up its failures, else empty. Counts a refusal.
     */
    public OptionalLong refusal(String address) {
        Bucket bucket = buckets.getIfPresent(address);
        if (bucket == null || bucket.getAvailableTokens() > 0) {
            return OptionalLong.empty();
        }
        throttled.increment();
        long nanos = bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill();
        return OptionalLong.of(Math.max(1, Duration.ofNanos(nanos).toSeconds() + 1));
    }

    /** Records a failed authentication of the address. */
    public void failed(String address) {
        failures.increment();
        buckets.get(address, a -> newBucket()).tryConsume(1);
    }

    private Bucket newBucket() {
        int perMinute = config.failedAuthentications().perMinute();
        return Bucket.builder()
                .addLimit(Bandwidth.builder()
                        .capacity(perMinute)
                        .refillGreedy(perMinute, Duration.ofMinutes(1))
                        .build())
                .build();
    }
}
