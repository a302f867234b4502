package io.tenantml.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.tenantml.testing.Api;
import io.tenantml.testing.TestDatabase;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Acceptance 5 and the audit list: append-only rows, a hash chain that names tampering, filters and paging. */
@QuarkusTest
class AuditTrailResourceTest {

    @Inject
    AgroalDataSource dataSource;

    @ConfigProperty(name = "quarkus.datasource.username")
    String appRole;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @Test
    void shouldRefuseUpdateDeleteAndTruncateOfAuditRowsToTheApplicationsRoleAndByTriggerToTheOwner()
            throws SQLException {
        String tenant = Api.uniqueTenant("append");
        String admin = Api.createTenant(tenant);
        Api.createKey(tenant, admin, "integration");
        long id = entryId(tenant, 1);

        try (Connection c = dataSource.getConnection()) {
            // the same connection pool and role the application writes with: refused by privilege, before the
            // trigger is reached
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("select current_user")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo(appRole);
            }
            for (String sql : List.of(
                    "update audit_entry set summary = '{}' where id = " + id,
                    "delete from audit_entry where id = " + id,
                    "truncate audit_entry")) {
                assertThatThrownBy(() -> execute(c, sql))
                        .as(sql)
                        .isInstanceOf(SQLException.class)
                        .hasMessageContaining("permission denied for table audit_entry");
            }
        }
        // the owner holds every privilege; the trigger still refuses it
        try (Connection c = TestDatabase.ownerConnection(jdbcUrl)) {
            assertThatThrownBy(() -> execute(c, "update audit_entry set summary = '{}' where id = " + id))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("append-only: UPDATE of audit_entry refused");
            assertThatThrownBy(() -> execute(c, "delete from audit_entry where id = " + id))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("append-only: DELETE of audit_entry refused");
            assertThatThrownBy(() -> execute(c, "truncate audit_entry"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("append-only: TRUNCATE of audit_entry refused");
        }
        Api.as(admin)
                .get("/api/v1/tenants/" + tenant + "/audit/verify")
                .then()
                .statusCode(200)
                .body("intact", equalTo(true))
                .body("entries", equalTo(1));
    }

    @Test
    void shouldNameTheEntryASuperuserChangedBehindTheTriggersBack() throws SQLException {
        String tenant = Api.uniqueTenant("tamper");
        String admin = Api.createTenant(tenant);
        for (int i = 0; i < 3; i++) {
            Api.createKey(tenant, admin, "integration");
        }
        String verify = "/api/v1/tenants/" + tenant + "/audit/verify";
        Api.as(admin)
                .get(verify)
                .then()
                .statusCode(200)
                .body("intact", equalTo(true))
                .body("entries", equalTo(3));
        long second = entryId(tenant, 2);

        asReplica("update audit_entry set summary = '{\"status\": \"200\"}' where id = " + second);

        JsonPath result =
                Api.as(admin).get(verify).then().statusCode(200).extract().jsonPath();
        assertThat(result.getBoolean("intact")).isFalse();
        assertThat(result.getLong("firstBroken.id")).isEqualTo(second);
        assertThat(result.getInt("firstBroken.seq")).isEqualTo(2);
        assertThat(result.getString("firstBroken.problem")).isEqualTo("content");
        assertThat(result.getInt("entries"))
                .as("entries found intact before the broken one")
                .isEqualTo(1);
        // operators verify any tenant's chain alike
        Api.asOperator().get(verify).then().statusCode(200).body("firstBroken.id", equalTo((int) second));
    }

    @Test
    void shouldReportAnActorChangedToAKindNoCallerHasAsAContentBreak() throws SQLException {
        // the API's actor kind is an enum: the verification must still read a row holding any other name
        String tenant = Api.uniqueTenant("forged");
        String admin = Api.createTenant(tenant);
        for (int i = 0; i < 2; i++) {
            Api.createKey(tenant, admin, "integration");
        }
        long second = entryId(tenant, 2);

        asReplica("update audit_entry set actor_kind = 'forged', role = 'root' where id = " + second);

        Api.as(admin)
                .get("/api/v1/tenants/" + tenant + "/audit/verify")
                .then()
                .statusCode(200)
                .body("intact", equalTo(false))
                .body("firstBroken.id", equalTo((int) second))
                .body("firstBroken.problem", equalTo("content"));
    }

    @Test
    void shouldNameTheEntryAfterOneDeletedAndAForgedLink() throws SQLException {
        String tenant = Api.uniqueTenant("gap");
        String admin = Api.createTenant(tenant);
        for (int i = 0; i < 4; i++) {
            Api.createKey(tenant, admin, "integration");
        }
        String verify = "/api/v1/tenants/" + tenant + "/audit/verify";
        long third = entryId(tenant, 3);
        long fourth = entryId(tenant, 4);

        // a forged link: entry 4 claims a predecessor whose hash is not entry 3's
        asReplica("update audit_entry set prev_hash = repeat('a', 64) where id = " + fourth);
        Api.as(admin)
                .get(verify)
                .then()
                .body("firstBroken.id", equalTo((int) fourth))
                .body("firstBroken.problem", equalTo("link"));

        asReplica("delete from audit_entry where id = " + entryId(tenant, 2));
        Api.as(admin)
                .get(verify)
                .then()
                .body("intact", equalTo(false))
                .body("firstBroken.id", equalTo((int) third))
                .body("firstBroken.problem", equalTo("gap"));
    }

    @Test
    void shouldKeepOneUnbrokenChainWhenChangesOfOneTenantCommitConcurrently() throws Exception {
        String tenant = Api.uniqueTenant("concurrent");
        String admin = Api.createTenant(tenant);
        int n = 12;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(6);
        try {
            List<java.util.concurrent.Future<Integer>> calls = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = i;
                calls.add(pool.submit(() -> Api.as(admin)
                        .contentType(ContentType.JSON)
                        .body(Map.of("name", "k" + k, "role", "integration"))
                        .post("/api/v1/tenants/" + tenant + "/api-keys")
                        .statusCode()));
            }
            for (java.util.concurrent.Future<Integer> call : calls) {
                assertThat(call.get()).isEqualTo(201);
            }
        } finally {
            pool.shutdown();
        }
        // positions 1..n exactly once each, every link to its predecessor
        assertThat(count("select count(distinct seq) from audit_entry where chain = '" + tenant
                        + "' and seq between 1 and " + n))
                .isEqualTo(n);
        Api.as(admin)
                .get("/api/v1/tenants/" + tenant + "/audit/verify")
                .then()
                .body("intact", equalTo(true))
                .body("entries", equalTo(n));
    }

    @Test
    void shouldListNewestFirstWithRequestIdsFiltersAndCursor() {
        String tenant = Api.uniqueTenant("listing");
        String admin = Api.createTenant(tenant);
        for (int i = 1; i <= 3; i++) {
            Api.as(admin)
                    .header("X-Request-Id", "req-listing-" + i)
                    .contentType(ContentType.JSON)
                    .body(Map.of("name", "k" + i, "role", "integration"))
                    .post("/api/v1/tenants/" + tenant + "/api-keys")
                    .then()
                    .statusCode(201)
                    .header("X-Request-Id", "req-listing-" + i);
        }
        // a refused change leaves no entry
        Api.as(admin)
                .contentType(ContentType.JSON)
                .body(Map.of("name", "bad", "role", "nobody"))
                .post("/api/v1/tenants/" + tenant + "/api-keys")
                .then()
                .statusCode(400);
        String audit = "/api/v1/tenants/" + tenant + "/audit";

        JsonPath first = Api.as(admin)
                .queryParam("limit", 2)
                .get(audit)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(first.getList("items.requestId")).containsExactly("req-listing-3", "req-listing-2");
        assertThat(first.getString("items[0].action")).isEqualTo("POST /api/v1/tenants/{tenant}/api-keys");
        assertThat(first.getString("items[0].summary.status")).isEqualTo("201");
        assertThat(first.getString("items[0].summary.location")).contains("/api-keys/");
        assertThat(first.getString("items[0].actor.kind")).isEqualTo("api-key");
        assertThat(first.getString("items[0].tenant")).isEqualTo(tenant);
        JsonPath second = Api.as(admin)
                .queryParam("limit", 2)
                .queryParam("cursor", first.getString("next"))
                .get(audit)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(second.getList("items.requestId")).containsExactly("req-listing-1");
        assertThat(second.getString("next")).isNull();

        Api.as(admin)
                .queryParam("action", "POST /api/v1/tenants/{tenant}/api-keys")
                .queryParam("from", "2020-01-01")
                .get(audit)
                .then()
                .statusCode(200)
                .body("items.size()", equalTo(3));
        Api.as(admin)
                .queryParam("to", "2020-01-01")
                .get(audit)
                .then()
                .statusCode(200)
                .body("items.size()", equalTo(0));
        Api.as(admin)
                .queryParam("from", "yesterday")
                .get(audit)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("parameter", equalTo("from"));
        Api.createKey(tenant, admin, "integration");
        Api.as(Api.createKey(tenant, admin, "integration")).get(audit).then().statusCode(403);
        Api.asOperator().get(audit).then().statusCode(200).body("items.size()", equalTo(5));
        Api.as(admin).get("/api/v1/audit").then().statusCode(403);

        // what one actor did: a second admin's change is its own, the first admin's five are theirs
        String adminSubject = first.getString("items[0].actor.subject");
        String secondAdmin = Api.createKey(tenant, admin, "admin");
        Api.as(secondAdmin)
                .contentType(ContentType.JSON)
                .body(Map.of("name", "by-second", "role", "integration"))
                .post("/api/v1/tenants/" + tenant + "/api-keys")
                .then()
                .statusCode(201);
        JsonPath mine =
                Api.as(admin).queryParam("actor", adminSubject).get(audit).jsonPath();
        assertThat(mine.getList("items.actor.subject")).hasSize(6).containsOnly(adminSubject);
        JsonPath theirs = Api.as(admin)
                .queryParam("action", "POST /api/v1/tenants/{tenant}/api-keys")
                .get(audit)
                .jsonPath();
        String secondSubject = theirs.getString("items[0].actor.subject");
        assertThat(secondSubject).isNotEqualTo(adminSubject);
        assertThat(Api.as(admin)
                        .queryParam("actor", secondSubject)
                        .get(audit)
                        .jsonPath()
                        .getList("items.summary.location"))
                .hasSize(1);
        Api.as(admin)
                .queryParam("actor", " ")
                .get(audit)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("parameter", equalTo("actor"));
    }

    @Test
    void shouldRecordOnAndOffboardingInThePlatformChainAndCascadeTheTenantsEntries() throws SQLException {
        String tenant = Api.uniqueTenant("leaving");
        String admin = Api.createTenant(tenant);
        Api.createKey(tenant, admin, "integration");
        assertThat(count("select count(*) from audit_entry where tenant_id = '" + tenant + "'"))
                .isEqualTo(1);

        Api.asOperator()
                .header("X-Request-Id", "offboard-" + tenant)
                .delete("/api/v1/tenants/" + tenant)
                .then()
                .statusCode(204);

        assertThat(count("select count(*) from audit_entry where tenant_id = '" + tenant + "'"))
                .as("the tenant's chain goes with it")
                .isZero();
        JsonPath offboarded = Api.asOperator()
                .queryParam("action", "DELETE /api/v1/tenants/{tenant}")
                .get("/api/v1/audit")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(offboarded.getString("items[0].target")).isEqualTo("tenant=" + tenant);
        assertThat(offboarded.getString("items[0].requestId")).isEqualTo("offboard-" + tenant);
        assertThat(offboarded.getString("items[0].tenant")).isNull();
        assertThat(offboarded.getString("items[0].actor.role")).isEqualTo("operator");
        JsonPath onboarded = Api.asOperator()
                .queryParam("action", "POST /api/v1/tenants")
                .get("/api/v1/audit")
                .then()
                .extract()
                .jsonPath();
        assertThat(onboarded.getList("items.summary.location", String.class))
                .anySatisfy(location -> assertThat(location).endsWith("/api/v1/tenants/" + tenant));
        Api.asOperator().get("/api/v1/audit/verify").then().statusCode(200).body("intact", equalTo(true));
    }

    private long entryId(String tenant, int seq) throws SQLException {
        return count("select id from audit_entry where chain = '" + tenant + "' and seq = " + seq);
    }

    private long count(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).as(sql).isTrue();
            return rs.getLong(1);
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.execute();
        }
    }

    /** As a superuser who switches triggers off for the transaction: what the trigger cannot stop. */
    private void asReplica(String sql) throws SQLException {
        try (Connection c = TestDatabase.ownerConnection(jdbcUrl)) {
            c.setAutoCommit(false);
            execute(c, "set local session_replication_role = replica");
            execute(c, sql);
            c.commit();
        }
    }
}
