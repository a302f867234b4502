package io.tenantml.shared.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Status;
import jakarta.transaction.Transaction;
import jakarta.transaction.TransactionManager;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.lang.reflect.Proxy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A request whose transaction outlives its timeout answers 503 {@code transaction-timeout} with Retry-After, however
 * the reaper's rollback reaches it: at the commit, in a statement it cancels, or in the next statement's connection.
 * Each failure is produced for real (Narayana's reaper, Agroal, PostgreSQL), so a dependency that words it differently
 * fails here. Before, only the first answered 503; the second was a 500 incident, and the third made the mapper
 * itself throw (the SQL state of Agroal's refusal is null, and {@code Set.of(..).contains(null)} throws).
 */
@QuarkusTest
class TransactionTimeoutTest {

    /** The shortest timeout Narayana takes, in seconds. */
    private static final int TIMEOUT_SECONDS = 1;

    @Inject
    EntityManager entityManager;

    @Inject
    TransactionManager transactions;

    @Test
    void shouldAnswer503WhenTheReaperRolledBackTheTransactionBeforeItsCommit() {
        RuntimeException failure = failureOf(() -> awaitTheReaper());

        assertAnswered503(failure);
    }

    @Test
    void shouldAnswer503WhenTheReaperCancelsAStatementStillRunning() {
        // far longer than the timeout: the reaper's cancel ends it, or the test fails after a minute
        RuntimeException failure = failureOf(
                () -> entityManager.createNativeQuery("select pg_sleep(60)").getResultList());

        assertAnswered503(failure);
    }

    @Test
    void shouldAnswer503WhenAStatementRunsAfterTheReaperRolledBackTheTransaction() {
        RuntimeException failure = failureOf(() -> {
            entityManager.createNativeQuery("select 1").getResultList();
            awaitTheReaper();
            entityManager.createNativeQuery("select 2").getResultList();
        });

        assertAnswered503(failure);
    }

    @Test
    void shouldStillAnswer500ForAnSqlFailureWithoutAStateThatIsNoTimeout() {
        Response answer = new ProblemMappers()
                .unexpected(new IllegalStateException(new java.sql.SQLException("the driver broke")), uri());

        assertThat(answer.getStatus()).isEqualTo(500);
    }

    private RuntimeException failureOf(Runnable work) {
        try {
            QuarkusTransaction.requiringNew().timeout(TIMEOUT_SECONDS).run(work);
        } catch (RuntimeException e) {
            return e;
        }
        throw new AssertionError("the transaction outlived its timeout and still committed");
    }

    /** Waits in the transaction until the reaper has rolled it back (its status, read from another thread). */
    private void awaitTheReaper() {
        Transaction current;
        try {
            current = transactions.getTransaction();
        } catch (jakarta.transaction.SystemException e) {
            throw new IllegalStateException(e);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> current.getStatus() == Status.STATUS_ROLLEDBACK);
    }

    private static void assertAnswered503(RuntimeException failure) {
        Response answer = new ProblemMappers().unexpected(failure, uri());

        assertThat(answer.getStatus()).as("%s", failure).isEqualTo(503);
        assertThat(answer.getHeaderString("Retry-After")).isEqualTo("5");
        assertThat(((io.tenantml.shared.Problem) answer.getEntity()).type()).endsWith("/transaction-timeout");
    }

    /** A UriInfo that knows only its path, which is all the mapper reads. */
    private static UriInfo uri() {
        return (UriInfo) Proxy.newProxyInstance(
                UriInfo.class.getClassLoader(), new Class<?>[] {UriInfo.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getPath") && (args == null || args.length == 0)) {
                        return "/api/v1/tenants/t/models/m";
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
