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
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.OptionalLong;

/**
 * Failed authentications per client address, as token buckets (Bucket4j): each failure takes a token, a
 * bucket refills at the configured rate per minute. An address with an empty bucket is refused (429) before
 * any credential lookup, so unknown well-formed keys cannot make the database work without limit. A
 * credential that verified within {@code verified-exemption} (of any kind: API key, stored operator key,
 * access token) is never refused, so a tenant behind the same address as an attacker keeps working; only a
 * digest of it is remembered. Buckets and digests are kept for bounded numbers of addresses and credentials.
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
    private Cache<String, Boolean> recentlyVerified;
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
        recentlyVerified = Caffeine.newBuilder()
                .maximumSize(limits.maxVerified())
                .expireAfterWrite(limits.verifiedExemption())
                .build();
        failures = Counter.builder(FAILURES).register(registry);
        throttled = Counter.builder(THROTTLED).register(registry);
    }

    /**
     * Seconds until the address may try again when it used up its failures and {@code credential} (null for
     * none) did not verify recently, else empty. Counts a refusal.
     */
    public OptionalLong refusal(String address, String credential) {
        Bucket bucket = buckets.getIfPresent(address);
        if (bucket == null
                || bucket.getAvailableTokens() > 0
                || (credential != null && recentlyVerified.getIfPresent(digest(credential)) != null)) {
            return OptionalLong.empty();
        }
        throttled.increment();
        long nanos = bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill();
        return OptionalLong.of(Math.max(1, Duration.ofNanos(nanos).toSeconds() + 1));
    }

    /** Records that the credential verified (after a lookup or a token check: memory hits need no record). */
    public void verified(String credential) {
        recentlyVerified.put(digest(credential), Boolean.TRUE);
    }

    private static String digest(String credential) {
        try {
            byte[] sha256 = MessageDigest.getInstance("SHA-256").digest(credential.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().withoutPadding().encodeToString(Arrays.copyOf(sha256, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
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
