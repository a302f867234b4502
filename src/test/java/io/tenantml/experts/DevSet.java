package io.tenantml.experts;

import io.tenantml.experts.internal.ExpertDoc;
import io.tenantml.experts.internal.MiniLmEmbedder;
import io.tenantml.experts.internal.Vectors;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * The development set ({@code src/test/resources/experts/prometheus-commits.csv}) as answers and their
 * embeddings, oldest first by instant (as a build orders them). Embedding the 7,158 answers takes about a minute on two busy cores, so it happens once per
 * test JVM, and the vectors are kept under {@code target/} keyed by the model and the file's SHA-256 (a
 * deterministic model gives the same vectors; a changed file or model re-embeds).
 */
public final class DevSet {

    public static final String RESOURCE = "/experts/prometheus-commits.csv";
    private static volatile DevSet loaded;

    public final List<ExpertDoc> docs;
    public final List<float[]> vectors;
    public final byte[] csv;

    private DevSet(List<ExpertDoc> docs, List<float[]> vectors, byte[] csv) {
        this.docs = docs;
        this.vectors = vectors;
        this.csv = csv;
    }

    public static byte[] csv() {
        try (InputStream in = DevSet.class.getResourceAsStream(RESOURCE)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The text a recommender over (question) embeds and searches: the question itself. */
    public static synchronized DevSet get() {
        if (loaded == null) {
            loaded = load();
        }
        return loaded;
    }

    private static DevSet load() {
        byte[] csv = csv();
        List<ExpertDoc> docs = new ArrayList<>();
        try (var parser = CSVFormat.RFC4180
                .builder()
                .setHeader()
                .setSkipHeaderRecord(true)
                .get()
                .parse(new InputStreamReader(new java.io.ByteArrayInputStream(csv), StandardCharsets.UTF_8))) {
            for (CSVRecord r : parser) {
                String tags = r.get("tags");
                docs.add(new ExpertDoc(
                        r.get("id"),
                        r.get("question"),
                        r.get("expert_id"),
                        OffsetDateTime.parse(r.get("answered_at")).toInstant().toEpochMilli(),
                        tags.isBlank() ? List.of() : Arrays.asList(tags.split(";"))));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<float[]> vectors = vectors(docs, csv);
        // oldest first by instant, as a build orders answers (the file is in author-date order, whose offsets
        // differ): the holdout here is then the build's holdout; stable, so ties keep the file's order
        Integer[] order = new Integer[docs.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, java.util.Comparator.comparingLong(i -> docs.get(i).time()));
        List<ExpertDoc> sortedDocs = new ArrayList<>(docs.size());
        List<float[]> sortedVectors = new ArrayList<>(docs.size());
        for (int i : order) {
            sortedDocs.add(docs.get(i));
            sortedVectors.add(vectors.get(i));
        }
        return new DevSet(List.copyOf(sortedDocs), List.copyOf(sortedVectors), csv);
    }

    private static List<float[]> vectors(List<ExpertDoc> docs, byte[] csv) {
        String key = HexFormat.of()
                .formatHex(Vectors.contentHash(MiniLmEmbedder.MODEL
                        + HexFormat.of().formatHex(Vectors.contentHash(new String(csv, StandardCharsets.UTF_8)))));
        Path cache = Path.of("target", "experts-dev-embeddings-" + key.substring(0, 16) + ".bin");
        if (Files.exists(cache)) {
            try (DataInputStream in =
                    new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(cache)))) {
                int n = in.readInt();
                int d = in.readInt();
                List<float[]> vectors = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    float[] v = new float[d];
                    for (int j = 0; j < d; j++) {
                        v[j] = in.readFloat();
                    }
                    vectors.add(v);
                }
                if (n == docs.size()) {
                    return vectors;
                }
            } catch (IOException e) {
                // unreadable: embed again
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(
                2, Thread.ofPlatform().name("test-embed-", 0).daemon().factory());
        try {
            MiniLmEmbedder embedder = new MiniLmEmbedder(pool);
            long started = System.nanoTime();
            List<float[]> vectors = new ArrayList<>();
            for (int from = 0; from < docs.size(); from += 256) {
                List<String> texts = docs.subList(from, Math.min(docs.size(), from + 256)).stream()
                        .map(ExpertDoc::text)
                        .toList();
                vectors.addAll(embedder.embed(texts));
            }
            System.out.printf(
                    "embedded %d dev-set answers in %.1f s%n", docs.size(), (System.nanoTime() - started) / 1e9);
            Files.createDirectories(cache.getParent());
            try (DataOutputStream out =
                    new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(cache)))) {
                out.writeInt(vectors.size());
                out.writeInt(vectors.get(0).length);
                for (float[] v : vectors) {
                    for (float x : v) {
                        out.writeFloat(x);
                    }
                }
            }
            return vectors;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            pool.shutdownNow();
        }
    }
}
