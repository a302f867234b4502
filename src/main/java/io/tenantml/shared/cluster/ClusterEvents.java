package io.tenantml.shared.cluster;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.postgresql.Driver;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Events that invalidate in-memory state on every node. {@link #publish} runs inside the transaction that
 * makes the change: PostgreSQL delivers a NOTIFY only when that transaction commits, so other nodes never
 * hear of a change that was rolled back and never miss one that committed while they listened. This node's
 * own subscribers run synchronously right after the commit, so the caller's next request already sees the
 * change; other nodes see it when the notification arrives (milliseconds).
 *
 * <p>While the listening connection is down, notifications may be lost: {@link #live()} is then false and
 * caches must not trust their entries; on reconnect every {@link #onResync} handler runs (caches clear)
 * before {@link #live()} turns true again.
 */
@ApplicationScoped
public class ClusterEvents {

    private static final Logger LOG = Logger.getLogger(ClusterEvents.class);
    static final String CHANNEL = "tenantml_events";
    private static final Pattern TOPIC = Pattern.compile("[a-z][a-z0-9-]{0,62}");
    private static final char SEPARATOR = '|';

    @Inject
    EntityManager em;

    @Inject
    TransactionSynchronizationRegistry transactions;
    /*
     * The listening session is a connection of its own, never one from the pool: a pooled connection
     * would go back to the pool still listening (its unread notifications hold PostgreSQL's queue back) or
     * broken after a failure, for the next borrower to trip over.
     */
    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String url;

    @ConfigProperty(name = "quarkus.datasource.username")
    Optional<String> username;

    @ConfigProperty(name = "quarkus.datasource.password")
    Optional<String> password;

    @Inject
    ClusterConfig config;

    /** Tells this node's notifications from other nodes'; the local ones were delivered at commit. */
    private final String node = UUID.randomUUID().toString();

    private final Map<String, List<Consumer<String>>> subscribers = new ConcurrentHashMap<>();
    private final List<Runnable> resyncHandlers = new CopyOnWriteArrayList<>();
    private final List<Runnable> lostHandlers = new CopyOnWriteArrayList<>();
    private final CountDownLatch firstConnection = new CountDownLatch(1);
    private volatile boolean live;
    /** System.nanoTime() when the listening connection last dropped; 0 before the first connection. */
    private volatile long lostAt;

    private volatile boolean running;
    private volatile Connection listening;
    private Thread listener;

    void start(@Observes StartupEvent event) throws InterruptedException {
        running = true;
        listener = Thread.ofPlatform().name("tenantml-cluster-events").daemon().start(this::listen);
        // Serve with caches from the first request when the database is reachable; if it is not, requests
        // still work (uncached) and the listener keeps trying.
        firstConnection.await(10, TimeUnit.SECONDS);
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        live = false;
        Connection c = listening;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing to wake the listener; it is going away anyway
            }
        }
        if (listener != null) {
            listener.join(TimeUnit.SECONDS.toMillis(5));
        }
    }

    /** Runs {@code handler} with the payload of every committed event of {@code topic}, on every node. */
    public void subscribe(String topic, Consumer<String> handler) {
        checkTopic(topic);
        subscribers
                .computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>())
                .add(Objects.requireNonNull(handler, "handler"));
    }

    /** Runs {@code handler} whenever events may have been missed (the listening connection was re-made). */
    public void onResync(Runnable handler) {
        resyncHandlers.add(Objects.requireNonNull(handler, "handler"));
    }

    /**
     * Runs {@code handler} whenever the listening connection drops or a new one cannot be made: the database
     * is unreachable from this node (or was, a moment ago). It runs again at every failed reconnect; the
     * {@link #onResync} handlers run when the connection is back.
     */
    public void onLost(Runnable handler) {
        lostHandlers.add(Objects.requireNonNull(handler, "handler"));
    }

    /** Whether every committed event reaches this node now; nothing new is cached when it is false. */
    public boolean live() {
        return live;
    }

    /**
     * Whether caches may answer from what they hold: while live, and for {@link ClusterConfig#outageGrace}
     * after the connection dropped (never before the first connection, never with a grace of 0).
     */
    public boolean trusted() {
        if (live) {
            return true;
        }
        long since = lostAt;
        return since != 0 && System.nanoTime() - since < config.outageGrace().toNanos();
    }

    /** The listening connection was made (after the resync). */
    void connected() {
        live = true;
    }

    /** The listening connection dropped at {@code nanoTime} (System.nanoTime()). */
    void lost(long nanoTime) {
        if (live) {
            lostAt = nanoTime;
        }
        live = false;
        for (Runnable handler : lostHandlers) {
            try {
                handler.run();
            } catch (RuntimeException e) {
                LOG.errorf(e, "handler of a lost cluster event connection failed");
            }
        }
    }

    /**
     * Publishes an event as part of the current transaction (one is required): delivered to every node,
     * this one included, if and only if the transaction commits.
     */
    public void publish(String topic, String payload) {
        checkTopic(topic);
        Objects.requireNonNull(payload, "payload");
        if (transactions.getTransactionStatus() != Status.STATUS_ACTIVE) {
            throw new IllegalStateException(
                    "cluster events are published inside the transaction that makes the change");
        }
        em.createNativeQuery("select 1 from (select pg_notify(:channel, :message)) notified")
                .setParameter("channel", CHANNEL)
                .setParameter("message", node + SEPARATOR + topic + SEPARATOR + payload)
                .getSingleResult();
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {}

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    deliver(topic, payload);
                }
            }
        });
    }

    /**
     * Runs this node's subscribers of {@code topic} with {@code payload} as if the event had arrived, without
     * publishing it: for an {@link #onResync} handler that finds an event this node missed while its listening
     * connection was down (other nodes heard it when it happened).
     */
    public void replayLocally(String topic, String payload) {
        checkTopic(topic);
        deliver(topic, Objects.requireNonNull(payload, "payload"));
    }

    private void deliver(String topic, String payload) {
        for (Consumer<String> handler : subscribers.getOrDefault(topic, List.of())) {
            try {
                handler.accept(payload);
            } catch (RuntimeException e) {
                LOG.errorf(e, "handler of cluster event %s failed", topic);
            }
        }
    }

    private void listen() {
        while (running) {
            try (Connection c = connect();
                    Statement statement = c.createStatement()) {
                statement.execute("LISTEN " + CHANNEL);
                PGConnection pg = c.unwrap(PGConnection.class);
                listening = c;
                // Anything committed before LISTEN took effect is in the database, which the cleared
                // caches will read; anything after arrives as a notification.
                resyncHandlers.forEach(Runnable::run);
                connected();
                firstConnection.countDown();
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(1000);
                    if (notifications == null) {
                        continue;
                    }
                    for (PGNotification n : notifications) {
                        receive(n.getParameter());
                    }
                }
            } catch (SQLException | RuntimeException e) {
                // At shutdown the failure is stop() closing the connection, not an outage: telling the
                // handlers would log "database unreachable" on every clean stop.
                if (running) {
                    lost(System.nanoTime());
                    LOG.warnf(
                            "cluster event listener lost its connection (%s); caches bypassed until it is back",
                            e.getMessage());
                    pause();
                }
            } finally {
                listening = null;
            }
        }
    }

    private Connection connect() throws SQLException {
        Properties properties = new Properties();
        username.ifPresent(u -> properties.setProperty("user", u));
        password.ifPresent(p -> properties.setProperty("password", p));
        properties.setProperty("ApplicationName", "tenantml-cluster-events");
        // Dead peers are noticed by TCP keepalive; getNotifications' timeout only bounds each wait.
        properties.setProperty("tcpKeepAlive", "true");
        return new Driver().connect(url, properties);
    }

    private void receive(String message) {
        int first = message.indexOf(SEPARATOR);
        int second = message.indexOf(SEPARATOR, first + 1);
        if (first < 0 || second < 0) {
            LOG.warnf("ignoring a malformed cluster event: %s", message);
            return;
        }
        if (message.substring(0, first).equals(node)) {
            return; // delivered at commit
        }
        deliver(message.substring(first + 1, second), message.substring(second + 1));
    }

    private void pause() {
        try {
            Thread.sleep(config.reconnectDelay());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private static void checkTopic(String topic) {
        if (topic == null || !TOPIC.matcher(topic).matches()) {
            throw new IllegalArgumentException("topic must match " + TOPIC.pattern() + ", was " + topic);
        }
    }
}
