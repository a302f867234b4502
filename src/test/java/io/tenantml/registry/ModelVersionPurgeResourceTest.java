package io.tenantml.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.tenantml.serving.LoadedModels;
import io.tenantml.shared.TenantId;
import io.tenantml.storage.BlobKey;
import io.tenantml.storage.BlobStore;
import io.tenantml.storage.StartupSweeps;
import io.tenantml.testing.Api;
import io.tenantml.testing.Fixtures;
import io.tenantml.testing.RunHolds;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A model version's file can be purged, by an admin or by the spec's retention, to free storage without deleting the
 * model: the file goes, the record stays, and nothing can load the version any more (410). The newest version, a
 * version an alias names and one a job needs keep their files.
 */
@QuarkusTest
class ModelVersionPurgeResourceTest {

    private static final Map<String, Object> PENGUIN = Map.of(
            "Island",
            "Biscoe",
            "Beak Length (mm)",
            47.5,
            "Beak Depth (mm)",
            15.0,
            "Flipper Length (mm)",
            218,
            "Body Mass (g)",
            4950,
            "Sex",
            "FEMALE");

    @Inject
    BlobStore blobs;

    @Inject
    LoadedModels models;

    @Inject
    RunHolds holds;

    @Inject
    StartupSweeps sweeps;

    @Inject
    io.agroal.api.AgroalDataSource dataSource;

    @Test
    void shouldFreeAVersionsFileKeepItsRecordAndLoadItNoMore() throws Exception {
        Tenant t = withPenguins("mpurge");
        Fixtures.defineModel(t.id(), t.admin(), "species", Fixtures.PENGUINS_SPECIES, true);
        Fixtures.train(t.id(), t.admin(), "species");
        Fixtures.defineModel(t.id(), t.admin(), "species", Fixtures.PENGUINS_SPECIES, false);
        Fixtures.train(t.id(), t.admin(), "species");
        Fixtures.train(t.id(), t.admin(), "species");
        Response before = Api.as(t.admin()).get(version(t, 2));
        long storedBefore = blobs.usedBytes(t.tenant());
        assertThat(modelFiles(t)).hasSize(3);

        Response loaded = Api.as(t.admin())
                .contentType(ContentType.JSON)
                .body(Map.of("records", List.of(PENGUIN), "version", 2))
                .post(Fixtures.base(t.id()) + "/models/species/predict");
        assertThat(loaded.statusCode()).as(loaded.asString()).isEqualTo(200);
        assertThat(models.isLoaded(t.tenant(), "species", 2)).isTrue();

        Response aliased = Api.as(t.admin()).delete(version(t, 1) + "/artifact");
        Response newest = Api.as(t.admin()).delete(version(t, 3) + "/artifact");
        Response purged = Api.as(t.admin()).delete(version(t, 2) + "/artifact");

        assertThat(aliased.statusCode()).as(aliased.asString()).isEqualTo(409);
        assertThat(aliased.<List<String>>path("usedBy")).containsExactly("alias production names it");
        assertThat(newest.statusCode()).as(newest.asString()).isEqualTo(409);
        assertThat(newest.<String>path("type")).endsWith("latest-version");
        assertThat(purged.statusCode()).as(purged.asString()).isEqualTo(204);
        Response after = Api.as(t.admin()).get(version(t, 2));
        assertThat(after.<String>path("artifact.purged.reason")).isEqualTo("requested");
        assertThat(after.<String>path("artifact.purged.by")).startsWith("admin:");
        for (String kept : List.of("metrics", "gate", "params", "featureImportance", "dataset", "artifact.sha256")) {
            assertThat(after.<Object>path(kept)).as(kept).isEqualTo(before.path(kept));
        }
        assertThat(modelFiles(t)).hasSize(2);
        assertThat(blobs.usedBytes(t.tenant())).isLessThan(storedBefore);
        // freed on every node through the cluster event (this node hears its own notification after the commit)
        await("the purged version to leave the node's loaded models")
                .atMost(Duration.ofSeconds(30))
                .until(() -> !models.isLoaded(t.tenant(), "species", 2));
        Response predict = Api.as(t.admin())
                .contentType(ContentType.JSON)
                .body(Map.of("records", List.of(PENGUIN), "version", 2))
                .post(Fixtures.base(t.id()) + "/models/species/predict");
        assertThat(predict.statusCode()).as(predict.asString()).isEqualTo(410);
        assertThat(predict.<String>path("type")).endsWith("model-version-purged");
        Response alias = Api.as(t.admin())
                .contentType(ContentType.JSON)
                .body(Map.of("version", 2))
                .put(Fixtures.base(t.id()) + "/models/species/aliases/staging");
        assertThat(alias.statusCode()).as(alias.asString()).isEqualTo(410);
        Response batch = Api.as(t.admin())
                .contentType(ContentType.JSON)
                .body(Map.of("dataset", "penguins", "version", 2))
                .post(Fixtures.base(t.id()) + "/models/species/batch-predictions");
        assertThat(batch.statusCode()).as(batch.asString()).isEqualTo(410);
        // production still answers
        Api.as(t.admin())
                .contentType(ContentType.JSON)
                .body(Map.of("records", List.of(PENGUIN)))
                .post(Fixtures.base(t.id()) + "/models/species/predict")
                .then()
                .statusCode(200);
        Response audit = Api.as(t.admin())
                .queryParam("action", "model.version.artifact.purged")
                .get("/api/v1/tenants/" + t.id() + "/audit");
        assertThat(audit.<String>path("items[0].target")).isEqualTo("model=species, version=2");
        assertThat(audit.<List<Object>>path("items")).hasSize(1);

        Api.as(t.admin()).delete(version(t, 2) + "/artifact").then().statusCode(204);
        assertThat(Api.as(t.admin()).get(version(t, 2)).<String>path("artifact.purged.at"))
                .isEqualTo(after.path("artifact.purged.at"));
    }

    @Test
    void shouldKeepTheFileOfAVersionAQueuedOrRunningBatchScoresWith() throws Exception {
        Tenant t = withPenguins("mpurgebatch");
        Fixtures.defineModel(t.id(), t.admin(), "species", Fixtures.PENGUINS_SPECIES, false);
        Fixtures.train(t.id(), t.admin(), "species");
        Fixtures.train(t.id(), t.admin(), "species");
        String batches = Fixtures.base(t.id()) + "/models/species/batch-predictions";
        holds.hold(t.id());
        String batch;
        try {
            batch = Api.as(t.admin())
                    .contentType(ContentType.JSON)
                    .body(Map.of("dataset", "penguins", "version", 1))
                    .post(batches)
                    .then()
                    .statusCode(202)
                    .extract()
                    .path("id");
            Response inUse = Api.as(t.admin()).delete(version(t, 1) + "/artifact");
            assertThat(inUse.statusCode()).as(inUse.asString()).isEqualTo(409);
            assertThat(inUse.<List<String>>path("usedBy")).hasSize(1);
            assertThat(inUse.<List<String>>path("usedBy").get(0)).startsWith("batch prediction " + batch + " (");
        } finally {
            holds.releaseAll(t.id());
        }
        Response done = Fixtures.awaitEnd(t.admin(), batches + "/" + batch);
        assertThat(done.<String>path("status")).as(done.asString()).isEqualTo("succeeded");
        Api.as(t.admin()).delete(version(t, 1) + "/artifact").then().statusCode(204);
    }

    @Test
    void shouldPurgeTheFilesOfVersionsBeyondTheSpecsRetentionButNeverAnAliasedOne() throws Exception {
        Tenant t = withPenguins("mretention");
        Fixtures.defineModel(t.id(), t.admin(), "species", Fixtures.PENGUINS_SPECIES, true);
        Fixtures.train(t.id(), t.admin(), "species");
        Map<String, Object> keepOne = new HashMap<>(Fixtures.PENGUINS_SPECIES);
        keepOne.put("retention", Map.of("keepVersions", 1));
        Fixtures.defineModel(t.id(), t.admin(), "species", keepOne, false);
        Fixtures.train(t.id(), t.admin(), "species");
        Fixtures.train(t.id(), t.admin(), "species");

        // version 1 serves production; version 2 fell out of the newest one; version 3 is the newest
        assertThat(Api.as(t.admin()).get(version(t, 1)).<Object>path("artifact.purged"))
                .isNull();
        Response second = Api.as(t.admin()).get(version(t, 2));
        assertThat(second.<String>path("artifact.purged.reason")).isEqualTo("retention");
        assertThat(second.<String>path("artifact.purged.by")).isEqualTo("system:model-retention");
        assertThat(Api.as(t.admin()).get(version(t, 3)).<Object>path("artifact.purged"))
                .isNull();
        assertThat(modelFiles(t)).hasSize(2);
        assertThat(Api.as(t.admin())
                        .get(Fixtures.base(t.id()) + "/models/species")
                        .<Integer>path("spec.retention.keepVersions"))
                .isEqualTo(1);

        // once production moves on, the next change of the spec lets version 1 go too
        Api.as(t.admin())
                .contentType(ContentType.JSON)
                .body(Map.of("version", 3))
                .put(Fixtures.base(t.id()) + "/models/species/aliases/production")
                .then()
                .statusCode(200);
        Fixtures.defineModel(t.id(), t.admin(), "species", keepOne, true);
        assertThat(Api.as(t.admin()).get(version(t, 1)).<String>path("artifact.purged.reason"))
                .isEqualTo("retention");
        assertThat(modelFiles(t)).hasSize(1);
    }

    @Test
    void shouldDeleteAfterStartTheModelFilesNoVersionWithAFileNames() throws Exception {
        Tenant t = withPenguins("mfilesweep");
        Fixtures.defineModel(t.id(), t.admin(), "species", Fixtures.PENGUINS_SPECIES, true);
        Fixtures.train(t.id(), t.admin(), "species");
        Fixtures.train(t.id(), t.admin(), "species");
        List<BlobKey> live = modelFiles(t);
        // a training whose node died between storing its file and committing its version, never redone
        BlobKey dead = BlobKey.of("models", "species", "training-" + java.util.UUID.randomUUID() + ".ubj");
        blobs.put(t.tenant(), dead, new java.io.ByteArrayInputStream(new byte[4_000]));
        // a purge whose node died after its commit, before the file went
        try (java.sql.Connection c = dataSource.getConnection();
                java.sql.PreparedStatement ps = c.prepareStatement("update model_version set purged_at = now(),"
                        + " purged_by = 'admin:k', purge_reason = 'requested' where tenant_id = ? and version = 1")) {
            ps.setString(1, t.id());
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }

        java.util.concurrent.CompletableFuture<StartupSweeps.Result> sweep = sweeps.start();
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(60))
                .until(sweep::isDone);

        assertThat(modelFiles(t)).hasSize(1).isSubsetOf(live).doesNotContain(dead);
        Api.as(t.admin())
                .contentType(ContentType.JSON)
                .body(Map.of("records", List.of(PENGUIN)))
                .post(Fixtures.base(t.id()) + "/models/species/predict")
                .then()
                .statusCode(200);
    }

    @Test
    void shouldRefuseARetentionOutOfRangeNamingIt() {
        Tenant t = withPenguins("mretentionbad");
        Map<String, Object> spec = new HashMap<>(Fixtures.PENGUINS_SPECIES);
        spec.put("retention", Map.of("keepVersions", 0));
        Response r = Fixtures.putModel(t.id(), t.admin(), "species", spec);
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(400);
        assertThat(r.<String>path("field")).isEqualTo("retention.keepVersions");
    }

    @Test
    void shouldLetNeitherIntegrationsNorAnotherTenantPurge() throws Exception {
        Tenant t = withPenguins("mpurgeowner");
        Fixtures.defineModel(t.id(), t.admin(), "species", Fixtures.PENGUINS_SPECIES, false);
        Fixtures.train(t.id(), t.admin(), "species");
        Fixtures.train(t.id(), t.admin(), "species");
        Tenant other = withPenguins("mpurgeother");
        String integration = Api.createKey(t.id(), t.admin(), "integration");
        String otherIntegration = Api.createKey(other.id(), other.admin(), "integration");

        assertThat(Api.as(integration).delete(version(t, 1) + "/artifact").statusCode())
                .isEqualTo(403);
        for (String key : List.of(other.admin(), otherIntegration)) {
            assertThat(Api.as(key).delete(version(t, 1) + "/artifact").statusCode())
                    .isIn(403, 404);
        }
        Fixtures.defineModel(other.id(), other.admin(), "species", Fixtures.PENGUINS_SPECIES, false);
        Fixtures.train(other.id(), other.admin(), "species");
        Fixtures.train(other.id(), other.admin(), "species");
        Api.as(other.admin()).delete(version(other, 1) + "/artifact").then().statusCode(204);

        assertThat(Api.as(t.admin()).get(version(t, 1)).<Object>path("artifact.purged"))
                .isNull();
        assertThat(modelFiles(t)).hasSize(2);
    }

    private record Tenant(String id, String admin) {
        TenantId tenant() {
            return new TenantId(id);
        }
    }

    private static Tenant withPenguins(String stem) {
        String id = Api.uniqueTenant(stem);
        Tenant t = new Tenant(id, Api.createTenant(id));
        Fixtures.uploadResource(t.id(), t.admin(), "penguins", "penguins.json");
        return t;
    }

    private static String version(Tenant t, int version) {
        return Fixtures.base(t.id()) + "/models/species/versions/" + version;
    }

    private List<BlobKey> modelFiles(Tenant t) throws Exception {
        return blobs.list(t.tenant(), "models/species/");
    }
}
