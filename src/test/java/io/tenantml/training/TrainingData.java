package io.tenantml.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.restassured.http.ContentType;
import io.tenantml.testing.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** Uploads the committed data sets through the datasets API, as a tenant would. */
final class TrainingData {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TrainingData() {}

    /** Uploads penguins.json (schema inferred); returns the version number. */
    static int penguins(String tenant, String key, String dataset) {
        return upload(tenant, key, dataset, Fixtures.resource("penguins.json"));
    }

    /** Uploads the penguins records that {@code keep} accepts, as a new version. */
    static int penguins(String tenant, String key, String dataset, Predicate<JsonNode> keep) {
        try {
            ArrayNode kept = JSON.createArrayNode();
            for (JsonNode record : JSON.readTree(Fixtures.resource("penguins.json"))) {
                if (keep.test(record)) {
                    kept.add(record);
                }
            }
            return upload(tenant, key, dataset, JSON.writeValueAsBytes(kept));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Declares flights with "date" as its time column, then uploads flights-20k.json. */
    static int flights(String tenant, String key, String dataset) {
        Map<String, Object> schema = Map.of(
                "columns",
                List.of(
                        Map.of("name", "date", "type", "timestamp"),
                        Map.of("name", "delay", "type", "numeric"),
                        Map.of("name", "distance", "type", "numeric"),
                        Map.of("name", "origin", "type", "categorical"),
                        Map.of("name", "destination", "type", "categorical")),
                "timeColumn",
                "date");
        Fixtures.declareDataset(tenant, key, dataset, schema);
        return upload(tenant, key, dataset, Fixtures.resource("flights-20k.json"));
    }

    private static int upload(String tenant, String key, String dataset, byte[] body) {
        return Fixtures.uploadVersion(tenant, key, dataset, ContentType.JSON.toString(), body);
    }
}
