package io.tenantml.storage.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A data directory of a node holding many tenants, in the layout the blob store writes
 * ({@code blobs/<tenant>/<key>}, keys as the features name them), with the rows that make it consistent: a
 * tenant row per tenant directory, a dataset row per dataset and a version row naming each rows and quarantine
 * file. Then, per round, what the start-up sweeps exist to remove (and a little they must keep).
 */
final class LargeDataDir {

    static final int TENANTS = 300;
    static final int DATASETS = 5;
    static final int VERSIONS = 10;
    /** Every third version of a dataset quarantined some rows. */
    static final int QUARANTINE_EVERY = 3;

    static final int MODELS = 4;
    static final int MODEL_VERSIONS = 8;
    static final int INDEX_BUILDS = 3;
    static final int BATCHES_PER_MODEL = 2;
    /** Tenants of a round that get a dead upload's rows file and a dead write's old .partial file. */
    static final int TENANTS_WITH_LEFTOVERS = 30;

    static final int ORPHAN_TENANTS = 3;
    static final int FILES_PER_ORPHAN = 20;

    static final byte[] CONTENT = new byte[256];

    private LargeDataDir() {}

    static String tenant(int i) {
        return String.format("bench-t%03d", i);
    }

    /** Writes the tree under {@code blobs} and, through {@code owner}, its rows; returns the number of files. */
    static long lay(Path blobs, Connection owner) throws IOException, SQLException {
        long files = 0;
        Instant created = Instant.now().minus(Duration.ofDays(30));
        owner.setAutoCommit(false);
        try (PreparedStatement tenant = owner.prepareStatement(
                        "insert into tenant (id, name, source, created_at, updated_at) values (?, ?, 'api', ?, ?)");
                PreparedStatement dataset = owner.prepareStatement(
                        "insert into dataset (id, tenant_id, name, schema_json, schema_source, policy_json, created_at,"
                                + " updated_at) values (?, ?, ?, '{}', 'inferred', '{}', ?, ?)");
                PreparedStatement version = owner.prepareStatement(
                        "insert into dataset_version (id, tenant_id, dataset_id, version, sha256, blob_key,"
                                + " quarantine_key, row_count, quarantined_rows, source_format, source_sha256,"
                                + " source_bytes, schema_json, profile_json, validation_json, created_at)"
                                + " values (?, ?, ?, ?, ?, ?, ?, 1000, 0, 'csv', ?, 4096, '{}', '{}', '{}', ?)");
                // each model file has its version, as a training registers it: the model part of the sweep keeps it
                PreparedStatement modelVersion = owner.prepareStatement(
                        "insert into model_version (id, tenant_id, model, version, training_id, status, reason,"
                                + " created_at, dataset, dataset_version, dataset_sha256, objective, params, seed,"
                                + " metrics, baseline, gate, feature_importance, transform, target, artifact_key,"
                                + " artifact_sha256, artifact_bytes, artifact_format, provenance) values (?, ?, ?, ?,"
                                + " ?, 'accepted', 'bench', ?, 'd0', 1, ?, 'binary', '{}', 42, '{}', '{}', '{}', '{}',"
                                + " '{}', '{}', ?, ?, 4096, 'ubj', '{}')")) {
            Timestamp at = Timestamp.from(created);
            for (int t = 0; t < TENANTS; t++) {
                String id = tenant(t);
                Path root = blobs.resolve(id);
                tenant.setString(1, id);
                tenant.setString(2, "Benchmark tenant " + t);
                tenant.setTimestamp(3, at);
                tenant.setTimestamp(4, at);
                tenant.addBatch();
                for (int d = 0; d < DATASETS; d++) {
                    UUID datasetId = UUID.randomUUID();
                    String name = "d" + d;
                    dataset.setObject(1, datasetId);
                    dataset.setString(2, id);
                    dataset.setString(3, name);
                    dataset.setTimestamp(4, at);
                    dataset.setTimestamp(5, at);
                    dataset.addBatch();
                    for (int v = 1; v <= VERSIONS; v++) {
                        String sha = sha256(id + "/" + name + "/" + v);
                        String rowsKey = "datasets/" + name + "/rows/" + sha + ".bin.gz";
                        String quarantineKey = v % QUARANTINE_EVERY == 0
                                ? "datasets/" + name + "/quarantine/" + sha256(id + "/" + name + "/q" + v)
                                        + ".ndjson.gz"
                                : null;
                        files += write(root.resolve(rowsKey));
                        if (quarantineKey != null) {
                            files += write(root.resolve(quarantineKey));
                        }
                        version.setObject(1, UUID.randomUUID());
                        version.setString(2, id);
                        version.setObject(3, datasetId);
                        version.setInt(4, v);
                        version.setString(5, sha);
                        version.setString(6, rowsKey);
                        version.setString(7, quarantineKey);
                        version.setString(8, sha256("source/" + sha));
                        version.setTimestamp(9, at);
                        version.addBatch();
                    }
                }
                for (int m = 0; m < MODELS; m++) {
                    for (int v = 0; v < MODEL_VERSIONS; v++) {
                        UUID training = UUID.randomUUID();
                        String key = "models/m" + m + "/training-" + training + ".ubj";
                        files += write(root.resolve(key));
                        modelVersion.setObject(1, UUID.randomUUID());
                        modelVersion.setString(2, id);
                        modelVersion.setString(3, "m" + m);
                        modelVersion.setInt(4, v + 1);
                        modelVersion.setObject(5, training);
                        modelVersion.setTimestamp(6, at);
                        modelVersion.setString(7, sha256(id + "/d0/1"));
                        modelVersion.setString(8, key);
                        modelVersion.setString(9, sha256(key));
                        modelVersion.addBatch();
                    }
                    for (int b = 0; b < BATCHES_PER_MODEL; b++) {
                        files += write(root.resolve("batch-predictions/m" + m + "/" + UUID.randomUUID() + ".csv"));
                    }
                }
                for (int b = 0; b < INDEX_BUILDS; b++) {
                    files += write(root.resolve("experts/r0/" + UUID.randomUUID() + "/index.zip"));
                    files += write(root.resolve("experts/r0/" + UUID.randomUUID() + "/reranker.ubj"));
                }
                if (t % 50 == 49) {
                    tenant.executeBatch();
                    dataset.executeBatch();
                    version.executeBatch();
                    modelVersion.executeBatch();
                }
            }
            tenant.executeBatch();
            dataset.executeBatch();
            version.executeBatch();
            modelVersion.executeBatch();
            owner.commit();
        } finally {
            owner.setAutoCommit(true);
        }
        return files;
    }

    /**
     * What one round leaves for the sweeps: files they must delete (a dead upload's unreferenced rows, a dead
     * write's .partial older than the cutoff, the files of tenants whose offboarding was interrupted) and files
     * they must keep (a .partial of a write still going on).
     */
    record Leftovers(List<Path> mustGo, List<Path> mustStay) {

        void assertSwept() {
            for (Path p : mustGo) {
                if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                    throw new AssertionError("the sweeps left " + p);
                }
            }
            for (Path p : mustStay) {
                if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                    throw new AssertionError("the sweeps deleted " + p);
                }
            }
        }

        void removeKept() throws IOException {
            for (Path p : mustStay) {
                Files.deleteIfExists(p);
            }
        }
    }

    static Leftovers leftovers(Path blobs) throws IOException {
        List<Path> go = new ArrayList<>();
        List<Path> stay = new ArrayList<>();
        FileTime old = FileTime.from(Instant.now().minus(Duration.ofHours(2)));
        int step = TENANTS / TENANTS_WITH_LEFTOVERS;
        for (int t = 0; t < TENANTS; t += step) {
            Path root = blobs.resolve(tenant(t));
            Path deadUpload =
                    root.resolve("datasets/d0/rows/" + sha256(UUID.randomUUID().toString()) + ".bin.gz");
            write(deadUpload);
            go.add(deadUpload);
            Path deadWrite = root.resolve("models/m0/.training-" + UUID.randomUUID() + ".ubj123.partial");
            write(deadWrite);
            Files.setLastModifiedTime(deadWrite, old);
            go.add(deadWrite);
            Path running = root.resolve("models/m1/.training-" + UUID.randomUUID() + ".ubj456.partial");
            write(running);
            stay.add(running);
        }
        for (int o = 0; o < ORPHAN_TENANTS; o++) {
            Path root = blobs.resolve("bench-gone-" + o);
            for (int f = 0; f < FILES_PER_ORPHAN; f++) {
                Path file = root.resolve("datasets/d0/rows/" + sha256(o + "/" + f) + ".bin.gz");
                write(file);
                go.add(file);
            }
        }
        return new Leftovers(go, stay);
    }

    /** The raw cost of looking at the tree: every regular file, counted by one walk. */
    static long countFiles(Path blobs) throws IOException {
        try (Stream<Path> paths = Files.walk(blobs)) {
            return paths.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .count();
        }
    }

    private static int write(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, CONTENT);
        return 1;
    }

    static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
