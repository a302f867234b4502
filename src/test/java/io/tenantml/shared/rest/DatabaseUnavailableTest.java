package io.tenantml.shared.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** Issue 15: the database being unreachable is a 503 with Retry-After, not a 500. */
class DatabaseUnavailableTest {

    @Test
    void shouldRecogniseAnUnreachableDatabaseThroughWrappers() {
        assertThat(ProblemMappers.databaseUnavailable(new IllegalStateException(
                        "credential lookup failed", new SQLException("Connection refused", "08001"))))
                .isTrue();
        assertThat(ProblemMappers.databaseUnavailable(
                        new RuntimeException(new SQLException("terminating connection", "57P01"))))
                .isTrue();
        assertThat(ProblemMappers.databaseUnavailable(new SQLException("Sorry, acquisition timeout!")))
                .isTrue();
    }

    @Test
    void shouldRecogniseAgroalsTimeoutWhileWaitingForANewConnection() {
        // Agroal 3 words it so when a connection could not be created in time (the database is down and the
        // pool waits DatabaseOutage's short acquisition timeout); Hibernate wraps it without an SQL state.
        assertThat(ProblemMappers.databaseUnavailable(
                        new RuntimeException(new SQLException("Acquisition timeout while waiting for new connection"))))
                .isTrue();
    }

    @Test
    void shouldNotTakeOtherDatabaseErrorsForAnOutage() {
        assertThat(ProblemMappers.databaseUnavailable(new SQLException("duplicate key", "23505")))
                .isFalse();
        assertThat(ProblemMappers.databaseUnavailable(new IllegalStateException("boom")))
                .isFalse();
    }

    @Test
    void shouldRecogniseAWriteThatLostToAConcurrentOneThroughWrappersAndNothingElse() {
        assertThat(ProblemMappers.concurrentConflict(new IllegalStateException(
                        "could not commit", new RuntimeException(new SQLException("duplicate key", "23505")))))
                .isTrue();
        assertThat(ProblemMappers.concurrentConflict(new SQLException("could not serialize access", "40001")))
                .isTrue();
        assertThat(ProblemMappers.concurrentConflict(new SQLException("deadlock detected", "40P01")))
                .isTrue();
        assertThat(ProblemMappers.concurrentConflict(new SQLException("Connection refused", "08001")))
                .isFalse();
        assertThat(ProblemMappers.concurrentConflict(new IllegalStateException("boom")))
                .isFalse();
    }
}
