package io.tenantml.webhooks.internal;

import io.netty.channel.ConnectTimeoutException;
import io.tenantml.shared.Texts;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.TrustOptions;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sends one webhook request to the address {@link UrlGuard} approved, never to whatever the host resolves to by the
 * time the connection is made: the JDK's client resolves the host itself, so a receiver's DNS could answer a public
 * address to the guard and an internal one to the connection (rebinding). The host still names the receiver in
 * {@code Host}, in the TLS server name indication and in the certificate check, exactly as if it had been resolved
 * again. Redirects are never followed, and only the first {@code maxBodyBytes} of an answer are read.
 */
final class ReceiverClient implements AutoCloseable {

    /** What a receiver answered: its status, its {@code Location} (for a redirect) and the first bytes of its body. */
    record Answer(int status, Optional<String> location, byte[] excerpt) {}

    /** No answer came; the message says why, for the delivery log. */
    static final class Unanswered extends Exception {
        Unanswered(String message) {
            super(message, null, false, false);
        }
    }

    private final HttpClient http;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final int maxBodyBytes;

    /** @param trust the certificates a receiver's chain must lead to; null for the JDK's default trust store */
    ReceiverClient(Vertx vertx, Duration connectTimeout, Duration readTimeout, int maxBodyBytes, TrustOptions trust) {
        this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
        this.readTimeout = Objects.requireNonNull(readTimeout, "readTimeout");
        if (maxBodyBytes < 1) {
            throw new IllegalArgumentException("maxBodyBytes must be positive, was " + maxBodyBytes);
        }
        this.maxBodyBytes = maxBodyBytes;
        HttpClientOptions options = new HttpClientOptions()
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
                // the server name indication and the certificate check take the request's host, not the address
                // connected to (ReceiverClientTest shows both)
                .setVerifyHost(true)
                .setMaxRedirects(0);
        if (trust != null) {
            options.setTrustOptions(trust);
        }
        this.http = vertx.createHttpClient(options);
    }

    /**
     * POSTs {@code body} to the target's URL at the target's address and waits for the answer: the connect timeout
     * for the connection, the read timeout for each wait on the receiver, and both together for the whole exchange
     * (a receiver trickling its body cannot hold the caller longer).
     */
    Answer post(UrlGuard.Target target, Map<String, String> headers, byte[] body) throws Unanswered {
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setServer(SocketAddress.inetSocketAddress(new InetSocketAddress(target.address(), target.port())))
                // an IPv6 literal is bracketed in Host as in the URL (Vert.x writes host:port as given)
                .setHost(target.host().contains(":") ? "[" + target.host() + "]" : target.host())
                .setPort(target.port())
                .setSsl(target.tls())
                .setURI(pathAndQuery(target.uri()))
                .setFollowRedirects(false)
                .setIdleTimeout(readTimeout.toMillis());
        headers.forEach(options::addHeader);
        AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
        Future<Answer> answer = http.request(options).compose(request -> {
            sent.set(request);
            return request.send(Buffer.buffer(body)).compose(response -> {
                // handlers are set on the event loop before the body's first chunk is delivered
                Promise<byte[]> excerpt = Promise.promise();
                Buffer read = Buffer.buffer();
                response.handler(chunk -> {
                    int take = Math.min(chunk.length(), maxBodyBytes - read.length());
                    read.appendBuffer(chunk, 0, take);
                    if (read.length() >= maxBodyBytes && excerpt.tryComplete(read.getBytes())) {
                        request.reset(); // the rest is never read: closing is cheaper than draining
                    }
                });
                response.endHandler(end -> excerpt.tryComplete(read.getBytes()));
                response.exceptionHandler(excerpt::tryFail);
                return excerpt.future()
                        .map(bytes -> new Answer(
                                response.statusCode(), Optional.ofNullable(response.getHeader("location")), bytes));
            });
        });
        try {
            return answer.toCompletionStage()
                    .toCompletableFuture()
                    .get(connectTimeout.plus(readTimeout).toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            reset(sent);
            throw new Unanswered("no complete answer within the timeouts");
        } catch (InterruptedException e) {
            reset(sent);
            Thread.currentThread().interrupt();
            throw new Unanswered("interrupted (node stopping)");
        } catch (ExecutionException e) {
            throw new Unanswered(why(e.getCause()));
        }
    }

    private static void reset(AtomicReference<HttpClientRequest> sent) {
        HttpClientRequest request = sent.get();
        if (request != null) {
            request.reset();
        }
    }

    private static String why(Throwable cause) {
        if (cause instanceof ConnectTimeoutException) {
            return "connect timed out";
        }
        if (cause instanceof TimeoutException) {
            return "no answer within the read timeout"; // Vert.x's idle timeout
        }
        String detail = "connection failed: " + cause.getClass().getSimpleName()
                + (cause.getMessage() == null ? "" : " " + cause.getMessage());
        return Texts.cut(detail, 300);
    }

    private static String pathAndQuery(URI uri) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    }

    @Override
    public void close() {
        http.close(); // asynchronous: open connections close on the event loop
    }
}
