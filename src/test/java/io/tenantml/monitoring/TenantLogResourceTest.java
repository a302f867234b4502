package io.tenantml.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.tenantml.shared.TenantId;
import io.tenantml.tenancy.TenantContext;
import io.tenantml.tenancy.TenantScope;
import io.tenantml.tenancy.internal.TenantLogFilter;
import io.tenantml.testing.Api;
import io.tenantml.testing.Fixtures;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.awaitility.Awaitility;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.formatters.JsonFormatter;
import org.junit.jupiter.api.Test;

/**
 * Log lines written while serving a tenant's request or running a tenant's job carry that tenant's id in the
 * MDC ({@code tenantId}), and so in the JSON log line ({@code TENANTML_LOG_JSON=true}) as {@code mdc.tenantId};
 * lines of a thread that no longer works for the tenant do not. Records are captured by a handler on the
 * {@code io.tenantml} logger with the console handler's filter ({@link TenantLogFilter}), as the console
 * handler receives them.
 */
@QuarkusTest
class TenantLogResourceTest {

    @Inject
    TenantScope scope;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Keeps every record with the MDC of the moment it was logged, after the console handler's filter. */
    private static final class Capture extends Handler {
        final List<ExtLogRecord> records = new CopyOnWriteArrayList<>();

        Capture() {
            setFilter(new TenantLogFilter());
        }

        @Override
        public void publish(LogRecord record) {
            if (!isLoggable(record)) {
                return;
            }
            ExtLogRecord r = ExtLogRecord.wrap(record);
            r.copyAll();
            records.add(r);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}

        Optional<ExtLogRecord> find(String logger, String containing) {
            return records.stream()
                    .filter(r -> logger.equals(r.getLoggerName()))
                    .filter(r -> r.getFormattedMessage().contains(containing))
                    .findFirst();
        }
    }

    private static String trained(String tenant, String admin, String model) {
        // distinct rows: identical rows share a side of the hash split, so a handful of distinct rows repeated would
        // leave whole values out of training and the model no better than its baseline
        StringBuilder csv = new StringBuilder("usage,churned\n");
        for (int i = 0; i < 200; i++) {
            csv.append(i).append(',').append(i >= 100).append('\n');
        }
        Fixtures.uploadVersion(tenant, admin, "rows", "text/csv", csv.toString().getBytes(StandardCharsets.UTF_8));
        Fixtures.defineModel(
                tenant,
                admin,
                model,
                Map.of(
                        "dataset",
                        "rows",
                        "target",
                        "churned",
                        "objective",
                        "binary",
                        "params",
                        Map.of("numRounds", 3, "seed", 7)),
                true);
        Fixtures.train(tenant, admin, model);
        return Fixtures.base(tenant) + "/models/" + model;
    }

    private static String tenantOf(ExtLogRecord record) throws Exception {
        // the line as the JSON console log writes it
        JsonNode line = JSON.readTree(new JsonFormatter().format(record));
        assertThat(line.path("mdc").path(TenantContext.LOG_KEY).asText())
                .isEqualTo(record.getMdc(TenantContext.LOG_KEY));
        return line.path("mdc").path(TenantContext.LOG_KEY).asText(null);
    }

    @Test
    void shouldCarryEachTenantsIdInTheLogLinesOfItsRequestsAndJobs() throws Exception {
        String alpha = Api.uniqueTenant("logta");
        String alphaAdmin = Api.createTenant(alpha);
        String beta = Api.uniqueTenant("logtb");
        String betaAdmin = Api.createTenant(beta);
        String alphaModel = trained(alpha, alphaAdmin, "alphamodel");
        String betaModel = trained(beta, betaAdmin, "betamodel");

        Capture capture = new Capture();
        Logger logger = Logger.getLogger("io.tenantml");
        logger.addHandler(capture);
        try {
            for (String[] call : new String[][] {{alphaAdmin, alphaModel}, {betaAdmin, betaModel}}) {
                Response put = Api.as(call[0])
                        .contentType(ContentType.JSON)
                        .body(Map.of("drift", Map.of("psiBins", 12)))
                        .put(call[1] + "/monitoring/settings");
                assertThat(put.statusCode()).as(put.asString()).isEqualTo(200);
            }
            String run = Api.as(alphaAdmin)
                    .post(alphaModel + "/monitoring/run")
                    .then()
                    .statusCode(202)
                    .extract()
                    .path("id");
            Fixtures.awaitEnd(alphaAdmin, alphaModel + "/monitoring/runs/" + run);
            String runLogger = "io.tenantml.monitoring.internal.WindowRunHandler";
            // the run's last line is written just after it is marked succeeded
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> capture.find(runLogger, run).isPresent());

            String settingsLogger = MonitoringSettings.class.getName();
            assertThat(tenantOf(capture.find(settingsLogger, "alphamodel").orElseThrow()))
                    .as("a line of alpha's request")
                    .isEqualTo(alpha);
            assertThat(tenantOf(capture.find(settingsLogger, "betamodel").orElseThrow()))
                    .as("a line of beta's request")
                    .isEqualTo(beta);
            assertThat(tenantOf(capture.find(runLogger, run).orElseThrow()))
                    .as("a line of alpha's window job")
                    .isEqualTo(alpha);
        } finally {
            logger.removeHandler(capture);
        }
    }

    @Test
    void shouldNotLetAThreadStartedInsideATenantsJobCarryItsIdOnLinesOutsideIt() throws Exception {
        TenantId tenant = new TenantId(Api.uniqueTenant("logtd"));
        Object[] inherited = new Object[1];
        Logger threadLogger = Logger.getLogger("io.tenantml.testing.lazypool");
        // like a pool that starts its thread on first use, inside a job; the thread works after the job ended
        java.util.concurrent.CountDownLatch jobOver = new java.util.concurrent.CountDownLatch(1);
        Thread started = scope.call(tenant, () -> {
            Thread t = new Thread(() -> {
                try {
                    jobOver.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                inherited[0] = org.jboss.logging.MDC.get(TenantContext.LOG_KEY);
                threadLogger.info("pool work for nobody in particular");
                threadLogger.info("and more of it");
            });
            t.start();
            return t;
        });
        Capture capture = new Capture();
        Logger logger = Logger.getLogger("io.tenantml");
        logger.addHandler(capture);
        try {
            jobOver.countDown();
            started.join(10_000);
        } finally {
            logger.removeHandler(capture);
        }

        assertThat(inherited[0]).as("the thread inherited the job's MDC").isEqualTo(tenant.value());
        List<ExtLogRecord> lines = capture.records.stream()
                .filter(r -> r.getLoggerName().equals(threadLogger.getName()))
                .toList();
        assertThat(lines).hasSize(2);
        assertThat(lines)
                .allSatisfy(r -> assertThat(r.getMdc(TenantContext.LOG_KEY)).isNull());
    }

    @Test
    void shouldGiveTheThreadItsOwnLogContextBackAfterATenantsWork() {
        TenantId tenant = new TenantId(Api.uniqueTenant("logtc"));
        Object before = org.jboss.logging.MDC.get(TenantContext.LOG_KEY);

        Object during = scope.call(tenant, () -> org.jboss.logging.MDC.get(TenantContext.LOG_KEY));

        assertThat(during).isEqualTo(tenant.value());
        assertThat(org.jboss.logging.MDC.get(TenantContext.LOG_KEY)).isEqualTo(before);
    }
}
