package io.tenantml.serving.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * An open-loop load generator: requests leave on a fixed schedule whatever the server does, and each latency
 * counts from the request's intended send time, so a stall counts against every request it delays (no
 * coordinated omission). Debian's wrk has no fixed-rate mode and wrk2 is not packaged.
 */
public final class FixedRate {

    /** Latency percentiles in milliseconds; {@code errors}: failures and answers other than 200. */
    public record Result(
            double p50, double p90, double p99, double p999, double max, int errors, double achievedRate) {}

    private FixedRate() {}

    public static Result send(HttpClient client, HttpRequest request, int perSecond, int count) throws Exception {
        long interval = 1_000_000_000L / perSecond;
        long[] latencies = new long[count];
        AtomicInteger errors = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(count);
        long start = System.nanoTime() + 50_000_000L;
        for (int i = 0; i < count; i++) {
            long intended = start + i * interval;
            long wait;
            while ((wait = intended - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            int index = i;
            client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
                latencies[index] = System.nanoTime() - intended;
                if (failure != null || response.statusCode() != 200) {
                    errors.incrementAndGet();
                }
                done.countDown();
            });
        }
        long sent = System.nanoTime();
        assertThat(done.await(120, TimeUnit.SECONDS)).isTrue();
        double achieved = count / ((sent - start) / 1e9);
        return new Result(
                BenchmarkStats.percentileMicros(latencies, 50) / 1000,
                BenchmarkStats.percentileMicros(latencies, 90) / 1000,
                BenchmarkStats.percentileMicros(latencies, 99) / 1000,
                BenchmarkStats.percentileMicros(latencies, 99.9) / 1000,
                BenchmarkStats.percentileMicros(latencies, 100) / 1000,
                errors.get(),
                achieved);
    }
}
