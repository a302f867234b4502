package io.tenantml.testing;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The real Keycloak server for the identity tests: the keycloak-quarkus-dist that Maven unpacks under
 * target/, started in dev mode on free loopback ports with docker/keycloak/tenantml-realm.json imported, and
 * stopped with SIGTERM to its whole process tree. One server per test JVM: its state (ports, pid) lives in
 * system properties, because the Quarkus test resource and the test classes may see this class through
 * different class loaders.
 *
 * <p>On the first start of a run the server also gets a test signing key (a second RSA key of the realm, so
 * tokens signed by it verify like Keycloak's own), which lets tests forge tokens that differ from a valid one
 * in exactly one respect: expiry, audience, issuer, tenant claim.
 */
public final class KeycloakServer {

    public static final String VERSION = "26.7.3";
    public static final String REALM = "tenantml";
    public static final String PLATFORM_CLIENT = "tenantml-platform";
    public static final String PLATFORM_SECRET = "tenantml-platform-dev-secret-change-me";
    public static final String CLI_CLIENT = "tenantml-cli";
    public static final String OPERATOR_USER = "operator";
    public static final String OPERATOR_PASSWORD = "operator-dev-password-change-me";

    private static final String PORT = "tenantml.test.keycloak.port";
    private static final String MANAGEMENT_PORT = "tenantml.test.keycloak.management-port";
    private static final String PID = "tenantml.test.keycloak.pid";
    private static final String SIGNING_KEY = "tenantml.test.keycloak.signing-key";
    private static final String SIGNING_KID = "tenantml.test.keycloak.signing-kid";
    private static final String HOOK = "tenantml.test.keycloak.hook";
    private static final Duration START_TIMEOUT = Duration.ofMinutes(4);
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private KeycloakServer() {}

    /** Starts the server unless it is already running; returns its base URL. */
    public static synchronized String ensureStarted() {
        if (running() && ready()) {
            return url();
        }
        Path home = home();
        boolean fresh = System.getProperty(PORT) == null;
        if (fresh) {
            System.setProperty(PORT, Integer.toString(freePort()));
            System.setProperty(MANAGEMENT_PORT, Integer.toString(freePort()));
            resetData(home);
        }
        Path log = home.getParent().resolve("keycloak-test.log");
        List<String> command = List.of(
                home.resolve("bin/kc.sh").toString(),
                "start-dev",
                "--import-realm",
                // A database of the tests' own, so a Keycloak started by bin/keycloak from the same
                // distribution can keep running beside the tests.
                "--db-url=jdbc:h2:file:" + testDatabase(home).resolve("keycloakdb") + ";NON_KEYWORDS=VALUE",
                "--http-host=127.0.0.1",
                "--http-port=" + port(),
                "--hostname=" + url(),
                "--http-management-port=" + System.getProperty(MANAGEMENT_PORT),
                "--health-enabled=true");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // The test JVM is a JDK 25+ (the build requires it), so Keycloak runs on the same one.
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        // Lean: C1 only and a small heap bring a warm start to about 20 s.
        builder.environment().put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx640m");
        builder.environment().put("JAVA_OPTS_APPEND", "-XX:TieredStopAtLevel=1");
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start Keycloak from " + home, e);
        }
        System.setProperty(PID, Long.toString(process.pid()));
        if (System.getProperty(HOOK) == null) {
            System.setProperty(HOOK, "registered");
            Runtime.getRuntime().addShutdownHook(new Thread(KeycloakServer::stop, "keycloak-test-stop"));
        }
        await("Keycloak ready at " + url() + " (log: " + log + ")")
                .atMost(START_TIMEOUT)
                .pollInterval(Duration.ofMillis(500))
                .failFast("Keycloak exited; see " + log, () -> !process.isAlive())
                .until(KeycloakServer::ready);
        if (fresh) {
            addTestSigningKey();
        }
        return url();
    }

    /** SIGTERM to the whole process tree (kc.sh's java is a child), then waits for it to end. */
    public static synchronized void stop() {
        String pid = System.getProperty(PID);
        if (pid == null) {
            return;
        }
        ProcessHandle.of(Long.parseLong(pid)).ifPresent(root -> {
            List<ProcessHandle> tree = root.descendants().collect(Collectors.toList());
            tree.forEach(ProcessHandle::destroy);
            root.destroy();
            for (ProcessHandle p : tree) {
                awaitExit(p);
            }
            awaitExit(root);
        });
        System.clearProperty(PID);
    }

    /**
     * SIGSTOP to the whole process tree: the server keeps its listening socket, so the kernel still accepts
     * connections, but nothing answers until {@link #thaw()} (a Keycloak that hangs, not one that is down).
     */
    public static synchronized void freeze() {
        signal("-STOP");
    }

    /**
     * SIGCONT to the whole process tree after {@link #freeze()}, then waits until its health check answers UP
     * again; safe to call when it is not frozen.
     */
    public static synchronized void thaw() {
        signal("-CONT");
        await("Keycloak ready again after SIGCONT")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(KeycloakServer::ready);
    }

    private static void signal(String signal) {
        ProcessHandle root = ProcessHandle.of(Long.parseLong(required(PID)))
                .orElseThrow(() -> new IllegalStateException("Keycloak is not running"));
        List<String> command = new java.util.ArrayList<>(List.of("kill", signal, Long.toString(root.pid())));
        root.descendants().forEach(p -> command.add(Long.toString(p.pid())));
        try {
            Process kill = new ProcessBuilder(command).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(String.join(" ", command) + " interrupted", e);
        }
    }

    public static String url() {
        return "http://127.0.0.1:" + port();
    }

    public static String issuer() {
        return url() + "/realms/" + REALM;
    }

    public static String tokenUrl() {
        return issuer() + "/protocol/openid-connect/token";
    }

    /** The platform settings that point it at this server (tokens and provisioning). */
    public static Map<String, String> platformConfig() {
        return Map.ofEntries(
                Map.entry("tenantml.identity.oidc-enabled", "true"),
                Map.entry("quarkus.oidc.auth-server-url", issuer()),
                Map.entry("tenantml.identity.provisioning.enabled", "true"),
                Map.entry("tenantml.identity.provisioning.realm", REALM),
                // Tests sign the admin in with the password grant right away, so no first-login password change.
                Map.entry("tenantml.identity.provisioning.temporary-admin-password", "false"),
                Map.entry("quarkus.keycloak.admin-client.server-url", url()),
                Map.entry("quarkus.keycloak.admin-client.realm", REALM),
                Map.entry("quarkus.keycloak.admin-client.client-id", PLATFORM_CLIENT),
                Map.entry("quarkus.keycloak.admin-client.client-secret", PLATFORM_SECRET),
                Map.entry("quarkus.keycloak.admin-client.grant-type", "CLIENT_CREDENTIALS"));
    }

    /** The private half (PKCS#8) of the realm's extra test signing key, and its key id. */
    public static byte[] signingKey() {
        return Base64.getDecoder().decode(required(SIGNING_KEY));
    }

    public static String signingKeyId() {
        return required(SIGNING_KID);
    }

    /** Calls the admin REST API of the realm as the platform's admin client; returns the parsed body. */
    public static JsonNode admin(String method, String path, String jsonBody) {
        String token = postForm(
                        tokenUrl(),
                        Map.of(
                                "grant_type",
                                "client_credentials",
                                "client_id",
                                PLATFORM_CLIENT,
                                "client_secret",
                                PLATFORM_SECRET))
                .get("access_token")
                .asText();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url() + "/admin/realms/" + REALM + path))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .method(
                        method,
                        jsonBody == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(jsonBody))
                .build();
        HttpResponse<String> response = send(request);
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(
                    method + " " + path + " -> " + response.statusCode() + ": " + response.body());
        }
        return parse(response.body());
    }

    /** Posts a form to Keycloak and returns the JSON answer, failing on an error status. */
    public static JsonNode postForm(String url, Map<String, String> form) {
        HttpResponse<String> response = postFormRaw(url, form);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("POST " + url + " -> " + response.statusCode() + ": " + response.body());
        }
        return parse(response.body());
    }

    public static HttpResponse<String> postFormRaw(String url, Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    private static void addTestSigningKey() {
        KeyPair pair;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            pair = generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        String privateKey = Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded());
        String realmId = admin("GET", "", null).get("id").asText();
        // Priority 1, below the generated key's 100: Keycloak keeps signing with its own key.
        admin("POST", "/components", """
                {"name":"tenantml-test-key","providerId":"rsa","providerType":"org.keycloak.keys.KeyProvider",
                 "parentId":"%s","config":{"priority":["1"],"enabled":["true"],"active":["true"],
                 "algorithm":["RS256"],"privateKey":["%s"]}}""".formatted(realmId, privateKey));
        String publicKey = Base64.getEncoder().encodeToString(pair.getPublic().getEncoded());
        String kid = null;
        for (JsonNode key : admin("GET", "/keys", null).get("keys")) {
            if (publicKey.equals(key.path("publicKey").asText())) {
                kid = key.get("kid").asText();
            }
        }
        if (kid == null) {
            throw new IllegalStateException("the test signing key did not show up among the realm keys");
        }
        System.setProperty(SIGNING_KEY, privateKey);
        System.setProperty(SIGNING_KID, kid);
    }

    private static Path home() {
        Path home = Path.of(System.getProperty("tenantml.test.keycloak-home", "target/keycloak/keycloak-" + VERSION));
        if (!Files.isExecutable(home.resolve("bin/kc.sh"))) {
            throw new IllegalStateException("No Keycloak distribution at " + home.toAbsolutePath()
                    + ": the build unpacks it (./mvnw process-test-resources); the identity tests need it");
        }
        return home;
    }

    private static Path testDatabase(Path home) {
        return home.toAbsolutePath().getParent().resolve("test-h2");
    }

    /** A fresh realm per test run: the database of an earlier run is dropped, the realm re-imported. */
    private static void resetData(Path home) {
        Path data = home.resolve("data");
        try {
            Path h2 = testDatabase(home);
            if (Files.exists(h2)) {
                try (var paths = Files.walk(h2)) {
                    paths.sorted(Comparator.reverseOrder())
                            .forEach(p -> p.toFile().delete());
                }
            }
            Files.createDirectories(data.resolve("import"));
            Files.copy(realmFile(), data.resolve("import/tenantml-realm.json"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path realmFile() {
        Path realm = Path.of("docker/keycloak/tenantml-realm.json");
        if (!Files.exists(realm)) {
            throw new IllegalStateException("realm definition not found at " + realm.toAbsolutePath());
        }
        return realm;
    }

    private static boolean running() {
        String pid = System.getProperty(PID);
        return pid != null
                && ProcessHandle.of(Long.parseLong(pid))
                        .map(ProcessHandle::isAlive)
                        .orElse(false);
    }

    private static boolean ready() {
        try {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(URI.create(
                                    "http://127.0.0.1:" + System.getProperty(MANAGEMENT_PORT) + "/health/ready"))
                            .timeout(Duration.ofSeconds(2))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void awaitExit(ProcessHandle process) {
        try {
            process.onExit().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
        }
    }

    private static int port() {
        return Integer.parseInt(required(PORT));
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException("Keycloak was not started in this test JVM (" + property + " unset)");
        }
        return value;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? JSON.nullNode() : JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
