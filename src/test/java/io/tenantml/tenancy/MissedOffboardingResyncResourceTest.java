package io.tenantml.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.tenantml.testing.Api;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, cluster resync without a tenant scope: a tenant offboarded by another node while this node's cluster
 * listener was down (its notification never arrived here) is forgotten on this node when the listener
 * reconnects, so that its meters do not name it in the scrape until a restart.
 */
@QuarkusTest
class MissedOffboardingResyncResourceTest {

    @Inject
    MeterRegistry registry;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void shouldForgetOnReconnectATenantOffboardedWhileTheListenerWasDown() throws Exception {
        String gone = Api.uniqueTenant("missedgone");
        String stays = Api.uniqueTenant("missedstays");
        Api.createTenant(gone);
        Api.createTenant(stays);
        registry.counter("tenantml.test.resync", "tenant", gone).increment();
        registry.counter("tenantml.test.resync", "tenant", stays).increment();

        // Another node's offboarding, as this node sees it when the notification is lost: the rows are gone,
        // nothing was delivered here.
        update("delete from tenant where id = ?", gone);
        // The listening connection drops (as in a database restart) and is made again after the reconnect delay.
        update(
                "select pg_terminate_backend(pid) from pg_stat_activity where application_name = ? "
                        + "and datname = current_database()",
                "tenantml-cluster-events");

        await().atMost(Duration.ofSeconds(30))
                .until(() -> registry.find("tenantml.test.resync")
                                .tag("tenant", gone)
                                .counter()
                        == null);
        assertThat(registry.find("tenantml.test.resync").tag("tenant", stays).counter())
                .as("the meter of a tenant that is still there")
                .isNotNull();
    }

    private void update(String sql, String parameter) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, parameter);
            if (ps.execute()) {
                try (ResultSet rs = ps.getResultSet()) {
                    while (rs.next()) {
                        // the terminations' results: nothing to read
                    }
                }
            }
        }
    }
}
