package io.tenantml.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.tenantml.shared.TenantId;
import io.tenantml.storage.BlobKey;
import io.tenantml.storage.BlobStore;
import io.tenantml.storage.StartupSweeps;
import io.tenantml.storage.StorageConfig;
import io.tenantml.testing.Api;
import io.tenantml.testing.Immutable;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

@QuarkusTest
class TenantDeletionResourceTest {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    BlobStore blobs;

    @Inject
    StorageConfig storage;

    @Test
    void shouldDeleteEveryRowAndFileOfTenantAndStopItsKeys() throws Exception {
        String doomed = Api.uniqueTenant("doomed");
        String survivor = Api.uniqueTenant("survivor");
        String doomedAdmin = Api.createTenant(doomed);
        String survivorAdmin = Api.createTenant(survivor);
        Api.createKey(doomed, doomedAdmin, "integration");
        blobs.put(
                new TenantId(doomed),
                BlobKey.of("models", "m", "1", "model.ubj"),
                new ByteArrayInputStream(new byte[] {1, 2, 3}));
        blobs.put(
                new TenantId(survivor),
                BlobKey.of("models", "m", "1", "model.ubj"),
                new ByteArrayInputStream(new byte[] {4}));
        assertThat(rowsOf(doomed)).isPositive();

        Api.asOperator().delete("/api/v1/tenants/" + doomed).then().statusCode(204);

        assertThat(rowsOf(doomed))
                .as("rows with tenant_id = '%s' in any table", doomed)
                .isZero();
        assertThat(blobs.list(new TenantId(doomed), "")).isEmpty();
        assertThat(blobs.tenants()).doesNotContain(new TenantId(doomed));
        Api.as(doomedAdmin).get("/api/v1/tenants/" + doomed).then().statusCode(401);
        Api.asOperator().get("/api/v1/tenants/" + doomed).then().statusCode(404);
        // The other tenant is untouched.
        assertThat(rowsOf(survivor)).isPositive();
        assertThat(blobs.list(new TenantId(survivor), "")).hasSize(1);
        Api.as(survivorAdmin).get("/api/v1/tenants/" + survivor).then().statusCode(200);
    }

    @Inject
    StartupSweeps sweeps;

    @Test
    void shouldSweepFilesOfTenantsThatNoLongerExist() throws Exception {
        TenantId ghost = new TenantId(Api.uniqueTenant("ghost"));
        String living = Api.uniqueTenant("living");
        Api.createTenant(living);
        blobs.put(ghost, BlobKey.of("left", "over.bin"), new ByteArrayInputStream(new byte[] {1}));
        blobs.put(new TenantId(living), BlobKey.of("kept.bin"), new ByteArrayInputStream(new byte[] {2}));

        CompletableFuture<StartupSweeps.Result> sweep = sweeps.start();

        await().atMost(Duration.ofSeconds(60)).until(sweep::isDone);
        assertThat(blobs.tenants()).doesNotContain(ghost).contains(new TenantId(living));
    }

    @Test
    void shouldSweepTheOtherFilesOfDeletedTenantsWhenOneCannotBeDeleted() throws Exception {
        // two tenants whose offboarding was interrupted; one of the first's files cannot be deleted
        TenantId first = new TenantId(Api.uniqueTenant("ghosta"));
        TenantId second = new TenantId(Api.uniqueTenant("ghostb"));
        for (TenantId ghost : List.of(first, second)) {
            for (String key : List.of("datasets/d/rows/a.bin.gz", "models/m/t.ubj", "zz/stuck.bin")) {
                blobs.put(ghost, new BlobKey(key), new ByteArrayInputStream(new byte[] {1}));
            }
        }
        Path stuck = storage.dataDir().resolve("blobs").resolve(first.value()).resolve("zz/stuck.bin");
        Immutable.set(stuck);
        try {
            CompletableFuture<StartupSweeps.Result> sweep = sweeps.start();

            await().atMost(Duration.ofSeconds(60)).until(sweep::isDone);
            assertThat(blobs.list(first, "")).containsExactly(new BlobKey("zz/stuck.bin"));
            assertThat(blobs.tenants()).doesNotContain(second);
        } finally {
            Immutable.clear(stuck);
        }
        blobs.deleteTenant(first);
    }

    @Test
    void shouldCascadeFromTenantInEveryTableWithTenantColumn() throws SQLException {
        // The offboarding invariant: deleting the tenant row reaches every tenant-owned table.
        // pg_catalog, not information_schema: the latter shows constraints only to their table's owner, and the
        // application's role owns no table
        String sql = """
                select c.relname from pg_attribute a
                join pg_class c on c.oid = a.attrelid
                where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p')
                and a.attname = 'tenant_id' and not a.attisdropped
                and not exists (
                  select 1 from pg_constraint f
                  where f.conrelid = c.oid and f.contype = 'f' and f.conkey = array[a.attnum]
                    and f.confrelid = 'tenant'::regclass and f.confdeltype = 'c')
                order by c.relname
                """;
        List<String> missing = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                missing.add(rs.getString(1));
            }
        }
        assertThat(missing)
                .as("tables whose tenant_id does not cascade from tenant(id)")
                .isEmpty();
    }

    private long rowsOf(String tenant) throws SQLException {
        long total = 0;
        try (Connection c = dataSource.getConnection()) {
            List<String> tables = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select table_name from information_schema.columns "
                            + "where table_schema = 'public' and column_name = 'tenant_id'");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            assertThat(tables).contains("api_key");
            for (String table : tables) {
                try (PreparedStatement ps =
                        c.prepareStatement("select count(*) from \"" + table + "\" where tenant_id = ?")) {
                    ps.setString(1, tenant);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        total += rs.getLong(1);
                    }
                }
            }
        }
        return total;
    }
}
