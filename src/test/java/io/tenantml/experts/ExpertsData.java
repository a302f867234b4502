package io.tenantml.experts;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.tenantml.testing.Api;
import io.tenantml.testing.Fixtures;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/** Test set-up for recommenders through the public API, on slices of the dev set. */
public final class ExpertsData {

    public static final String DATASET = "answers";

    private ExpertsData() {}

    static Map<String, Object> column(String name, String type) {
        return Map.of("name", name, "type", type);
    }

    /** Declares the dev set's schema (so that types never depend on inference from a slice). */
    public static void declare(String tenant, String key, String dataset) {
        Fixtures.declareDataset(
                tenant,
                key,
                dataset,
                Map.of(
                        "columns",
                        List.of(
                                column("id", "text"),
                                column("question", "text"),
                                column("expert_id", "categorical"),
                                column("answered_at", "timestamp"),
                                column("tags", "categorical")),
                        "primaryKey",
                        "id"));
    }

    /**
     * A recommender named {@code recommender} over {@link #DATASET}, declared, holding the dev set's first
     * {@code rows} answers; not built.
     */
    public static void recommenderOver(String tenant, String key, String recommender, int rows) {
        declare(tenant, key, DATASET);
        Fixtures.uploadVersion(tenant, key, DATASET, "text/csv", slice(0, rows, UnaryOperator.identity()));
        Response put = put(tenant, key, recommender, spec(DATASET));
        assertThat(put.statusCode()).as(put.asString()).isEqualTo(201);
    }

    /** The first {@code rows} answers of the dev set as CSV, each author renamed by {@code author}. */
    public static byte[] slice(int from, int rows, UnaryOperator<String> author) {
        StringWriter out = new StringWriter();
        try (var parser = CSVFormat.RFC4180
                        .builder()
                        .setHeader()
                        .setSkipHeaderRecord(true)
                        .get()
                        .parse(new InputStreamReader(new ByteArrayInputStream(DevSet.csv()), StandardCharsets.UTF_8));
                CSVPrinter printer = new CSVPrinter(
                        out,
                        CSVFormat.RFC4180
                                .builder()
                                .setHeader("id", "question", "expert_id", "answered_at", "tags")
                                .get())) {
            int i = 0;
            for (CSVRecord r : parser) {
                if (i >= from && i < from + rows) {
                    printer.printRecord(
                            r.get("id"),
                            r.get("question"),
                            author.apply(r.get("expert_id")),
                            r.get("answered_at"),
                            r.get("tags"));
                }
                i++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    public static Map<String, Object> spec(String dataset) {
        Map<String, Object> spec = new HashMap<>();
        spec.put("dataset", dataset);
        spec.put("text", List.of("question"));
        spec.put("expert", "expert_id");
        spec.put("time", "answered_at");
        spec.put("tags", "tags");
        return spec;
    }

    public static String path(String tenant, String recommender) {
        return Fixtures.base(tenant) + "/recommenders/" + recommender;
    }

    public static Response put(String tenant, String key, String recommender, Map<String, Object> spec) {
        return Api.as(key).contentType(ContentType.JSON).body(spec).put(path(tenant, recommender));
    }

    /** Starts a build, waits for its end and returns the final build. */
    public static Response build(String tenant, String key, String recommender) {
        Response started = Api.as(key).contentType(ContentType.JSON).post(path(tenant, recommender) + "/builds");
        assertThat(started.statusCode()).as(started.asString()).isEqualTo(202);
        String id = started.path("id");
        assertThat(started.header("Location")).endsWith("/builds/" + id);
        return Fixtures.awaitEnd(key, path(tenant, recommender) + "/builds/" + id, Duration.ofMinutes(8), r -> {});
    }

    public static Response recommend(String tenant, String key, String recommender, Map<String, Object> body) {
        return Api.as(key).contentType(ContentType.JSON).body(body).post(path(tenant, recommender) + "/recommend");
    }
}
