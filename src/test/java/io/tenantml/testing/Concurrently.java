package io.tenantml.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/** Requests released together, each on a thread of its own, and what "as if each came alone" means for them. */
public final class Concurrently {

    private Concurrently() {}

    /** The answers of {@code count} requests released at once; {@code request} gets the request's index. */
    public static List<Response> atOnce(int count, IntFunction<Response> request) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(count);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Response>> sent = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int client = i;
                sent.add(clients.submit(() -> {
                    go.await();
                    return request.apply(client);
                }));
            }
            go.countDown();
            List<Response> answers = new ArrayList<>();
            for (Future<Response> f : sent) {
                answers.add(f.get(2, TimeUnit.MINUTES));
            }
            return answers;
        } finally {
            clients.shutdownNow();
        }
    }

    /**
     * {@code request} sent on a thread of its own (not the common pool, which has one thread on two cores and would
     * run two blocked requests one after the other).
     */
    public static <T> CompletableFuture<T> inBackground(Supplier<T> request) {
        return CompletableFuture.supplyAsync(
                request, task -> Thread.ofPlatform().start(task));
    }

    /** The same create from every client: one 201, the rest 200. */
    public static void assertOneCreatedTheRestReplaced(List<Response> answers) {
        assertThat(answers.stream().map(Response::statusCode).toList())
                .as(answers.stream().map(Response::asString).toList().toString())
                .containsOnly(200, 201)
                .containsOnlyOnce(201);
    }

    /** The same delete from every client: one 204, the rest 404. */
    public static void assertOneDeletedTheRest404(List<Response> answers) {
        assertThat(answers.stream().map(Response::statusCode).toList())
                .as(answers.stream().map(Response::asString).toList().toString())
                .containsOnly(204, 404)
                .containsOnlyOnce(204);
    }
}
