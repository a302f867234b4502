package io.tenantml.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A webhook receiver on a loopback port (allow-listed in the test profile): records every request with whether
 * its Standard Webhooks signature verifies under the secret registered for its tenant, and answers as the test
 * tells it (by default 204).
 */
public final class WebhookReceiver implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One received request.
     *
     * @param raw the body's bytes as received (what the signature covers), for tests that verify it themselves
     */
    public record Received(
            String path,
            String webhookId,
            long timestamp,
            String signature,
            boolean verified,
            JsonNode body,
            byte[] raw) {
        public String type() {
            return body.path("type").asText();
        }

        public String tenant() {
            return body.path("data").path("tenant").asText();
        }
    }

    /** What to answer: status and extra headers. */
    public record Answer(int status, Map<String, String> headers, String body, long pauseBetweenBytesMillis) {
        public Answer(int status, Map<String, String> headers, String body) {
            this(status, headers, body, 0);
        }

        public static Answer of(int status) {
            return new Answer(status, Map.of(), "");
        }
    }

    private final HttpServer server;
    private final int port;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, String> secrets = new ConcurrentHashMap<>();
    private volatile Function<Received, Answer> answer = r -> Answer.of(204);

    public WebhookReceiver(int port) {
        this.port = port;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("port " + port + " for a webhook receiver", e);
        }
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String id = exchange.getRequestHeaders().getFirst("webhook-id");
            String ts = exchange.getRequestHeaders().getFirst("webhook-timestamp");
            String signature = exchange.getRequestHeaders().getFirst("webhook-signature");
            JsonNode json = JSON.readTree(body);
            String secret = secrets.get(json.path("data").path("tenant").asText());
            long timestamp = ts == null ? -1 : Long.parseLong(ts);
            boolean verified =
                    secret != null && id != null && StandardWebhooks.verify(secret, id, timestamp, body, signature);
            Received r =
                    new Received(exchange.getRequestURI().getPath(), id, timestamp, signature, verified, json, body);
            received.add(r);
            Answer a = answer.apply(r);
            a.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            byte[] out = a.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(a.status(), out.length == 0 ? -1 : out.length);
            try {
                if (a.pauseBetweenBytesMillis() > 0) {
                    // a receiver that trickles its answer, one byte at a time
                    for (byte x : out) {
                        exchange.getResponseBody().write(x);
                        exchange.getResponseBody().flush();
                        Thread.sleep(a.pauseBetweenBytesMillis());
                    }
                } else if (out.length > 0) {
                    exchange.getResponseBody().write(out);
                }
            } catch (InterruptedException | IOException e) {
                // the sender gave up and closed the connection
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** Signatures of requests about {@code tenant} are verified with {@code secret}. */
    public void expect(String tenant, String secret) {
        secrets.put(tenant, secret);
    }

    public void answer(Function<Received, Answer> answer) {
        this.answer = answer;
    }

    /** Requests about {@code tenant}, in the order received. */
    public List<Received> of(String tenant) {
        return received.stream().filter(r -> r.tenant().equals(tenant)).toList();
    }

    public List<Received> all() {
        return List.copyOf(received);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
