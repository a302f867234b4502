package io.tenantml.webhooks.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.PfxOptions;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The webhook sender against real loopback receivers. The receivers' host names end in {@code .invalid}, which no
 * resolver answers (RFC 6761): a request reaches a receiver only if it goes to the address the guard approved
 * without looking the host up again.
 */
class ReceiverClientTest {

    private static final String HOST = "receiver.rebind.invalid";
    private static final Duration CONNECT = Duration.ofSeconds(5);
    private static final Duration READ = Duration.ofSeconds(5);

    /** What a receiver saw of one request. */
    record Seen(
            String method,
            String uri,
            String hostHeader,
            String serverName,
            Map<String, String> headers,
            String body) {}

    @TempDir
    Path certificates;

    private Vertx vertx;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stopVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void shouldConnectToTheApprovedAddressAndNameTheHostWithoutResolvingItAgain() throws Exception {
        int port = listen(
                new HttpServerOptions(),
                request -> request.response().setStatusCode(204).end());
        try (ReceiverClient client = new ReceiverClient(vertx, CONNECT, READ, 64, null)) {
            ReceiverClient.Answer answer = client.post(
                    target("http://" + HOST + ":" + port + "/hooks/in?team=a%20b", port, false),
                    Map.of("webhook-id", "msg_1", "Content-Type", "application/json"),
                    "{\"type\":\"x\"}".getBytes(StandardCharsets.UTF_8));

            assertThat(answer.status()).isEqualTo(204);
            assertThat(seen).singleElement().satisfies(s -> {
                assertThat(s.method()).isEqualTo("POST");
                assertThat(s.uri()).isEqualTo("/hooks/in?team=a%20b");
                assertThat(s.hostHeader()).isEqualTo(HOST + ":" + port);
                assertThat(s.headers()).containsEntry("webhook-id", "msg_1");
                assertThat(s.body()).isEqualTo("{\"type\":\"x\"}");
            });
        }
    }

    @Test
    void shouldBracketAnIpv6LiteralInTheHostHeader() throws Exception {
        int port = listen(
                new HttpServerOptions().setHost("::1"),
                request -> request.response().setStatusCode(204).end());
        try (ReceiverClient client = new ReceiverClient(vertx, CONNECT, READ, 64, null)) {
            ReceiverClient.Answer answer = client.post(
                    new UrlGuard.Target(
                            URI.create("http://[::1]:" + port + "/hook"),
                            "::1",
                            port,
                            false,
                            InetAddress.getByName("::1")),
                    Map.of(),
                    new byte[0]);

            assertThat(answer.status()).isEqualTo(204);
            assertThat(seen)
                    .singleElement()
                    .satisfies(s -> assertThat(s.hostHeader()).isEqualTo("[::1]:" + port));
        }
    }

    @Test
    void shouldNameTheHostInTheTlsHandshakeAndCheckTheCertificateAgainstIt() throws Exception {
        PfxOptions certificate = selfSigned(HOST);
        int port = listen(
                new HttpServerOptions().setSsl(true).setSni(true).setKeyCertOptions(certificate),
                request -> request.response().setStatusCode(200).end("ok"));
        try (ReceiverClient client = new ReceiverClient(vertx, CONNECT, READ, 64, certificate)) {
            ReceiverClient.Answer answer =
                    client.post(target("https://" + HOST + ":" + port + "/hook", port, true), Map.of(), new byte[0]);

            assertThat(answer.status()).isEqualTo(200);
            assertThat(new String(answer.excerpt(), StandardCharsets.UTF_8)).isEqualTo("ok");
            assertThat(seen)
                    .singleElement()
                    .satisfies(s -> assertThat(s.serverName()).isEqualTo(HOST));
        }
    }

    @Test
    void shouldRefuseACertificateOfAnotherHostThoughTheAddressIsTheApprovedOne() throws Exception {
        PfxOptions other = selfSigned("other.rebind.invalid");
        int port = listen(
                new HttpServerOptions().setSsl(true).setKeyCertOptions(other),
                request -> request.response().end("should not be reached"));
        // the client trusts the certificate itself, so only the name can make it refuse
        try (ReceiverClient client = new ReceiverClient(vertx, CONNECT, READ, 64, other)) {
            assertThatThrownBy(() -> client.post(
                            target("https://" + HOST + ":" + port + "/hook", port, true), Map.of(), new byte[0]))
                    .isInstanceOf(ReceiverClient.Unanswered.class)
                    .hasMessageStartingWith("connection failed: SSLHandshakeException");
            assertThat(seen).isEmpty();
        }
    }

    @Test
    void shouldNotFollowARedirectAndReportWhereItPointed() throws Exception {
        int port = listen(
                new HttpServerOptions(),
                request -> request.response()
                        .setStatusCode(302)
                        .putHeader("Location", "http://169.254.169.254/latest/meta-data")
                        .end());
        try (ReceiverClient client = new ReceiverClient(vertx, CONNECT, READ, 64, null)) {
            ReceiverClient.Answer answer =
                    client.post(target("http://" + HOST + ":" + port + "/", port, false), Map.of(), new byte[0]);

            assertThat(answer.status()).isEqualTo(302);
            assertThat(answer.location()).contains("http://169.254.169.254/latest/meta-data");
            assertThat(seen).hasSize(1);
        }
    }

    @Test
    void shouldKeepOnlyTheFirstBytesOfALongAnswer() throws Exception {
        String chunk = "x".repeat(64 * 1024);
        int port = listen(new HttpServerOptions(), request -> {
            request.response().setChunked(true).setStatusCode(500);
            for (int i = 0; i < 64; i++) { // 4 MiB: far more than anyone reads
                request.response().write(chunk);
            }
            request.response().end();
        });
        try (ReceiverClient client = new ReceiverClient(vertx, CONNECT, READ, 100, null)) {
            ReceiverClient.Answer answer =
                    client.post(target("http://" + HOST + ":" + port + "/", port, false), Map.of(), new byte[0]);

            assertThat(answer.status()).isEqualTo(500);
            assertThat(answer.excerpt()).hasSize(100);
        }
    }

    @Test
    void shouldGiveUpOnAReceiverThatNeverAnswers() throws Exception {
        int port = listen(new HttpServerOptions(), request -> {
            // takes the request and never answers
        });
        try (ReceiverClient client = new ReceiverClient(vertx, CONNECT, Duration.ofMillis(300), 64, null)) {
            assertThatThrownBy(() -> client.post(
                            target("http://" + HOST + ":" + port + "/", port, false), Map.of(), new byte[0]))
                    .isInstanceOf(ReceiverClient.Unanswered.class)
                    .hasMessage("no answer within the read timeout");
            assertThat(seen).hasSize(1);
        }
    }

    /**
     * A key and a self-signed certificate for {@code host} (as subject and DNS alternative name), made by the JDK's
     * keytool: Vert.x's own generator needs a provider this JDK does not have.
     */
    private PfxOptions selfSigned(String host) throws Exception {
        Path store = certificates.resolve(host + ".p12");
        Process keytool = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "keytool")
                                .toString(),
                        "-genkeypair",
                        "-alias",
                        "receiver",
                        "-keyalg",
                        "EC",
                        "-groupname",
                        "secp256r1",
                        "-dname",
                        "CN=" + host,
                        "-ext",
                        "SAN=dns:" + host,
                        "-validity",
                        "2",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        store.toString(),
                        "-storepass",
                        "changeit",
                        "-keypass",
                        "changeit")
                .redirectErrorStream(true)
                .start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(keytool.waitFor()).as("keytool: %s", output).isZero();
        return new PfxOptions().setPath(store.toString()).setPassword("changeit");
    }

    private UrlGuard.Target target(String url, int port, boolean tls) throws Exception {
        return new UrlGuard.Target(URI.create(url), HOST, port, tls, InetAddress.getByName("127.0.0.1"));
    }

    /** Starts a receiver on a free loopback port that records each request before {@code answer} handles it. */
    private int listen(HttpServerOptions options, Handler<HttpServerRequest> answer) throws Exception {
        if (options.getHost().equals(HttpServerOptions.DEFAULT_HOST)) {
            options.setHost("127.0.0.1");
        }
        HttpServer server = vertx.createHttpServer(options.setPort(0))
                .requestHandler(request -> request.body().onSuccess(body -> {
                    Map<String, String> headers = new java.util.HashMap<>();
                    request.headers()
                            .forEach(h -> headers.put(h.getKey().toLowerCase(java.util.Locale.ROOT), h.getValue()));
                    seen.add(new Seen(
                            request.method().name(),
                            request.uri(),
                            request.getHeader("Host"),
                            request.connection().indicatedServerName(),
                            headers,
                            body.toString(StandardCharsets.UTF_8)));
                    answer.handle(request);
                }));
        return server.listen()
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS)
                .actualPort();
    }
}
