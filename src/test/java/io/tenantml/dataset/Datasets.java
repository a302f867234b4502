package io.tenantml.dataset;

import io.restassured.response.Response;
import io.tenantml.testing.Api;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Test helpers: the copied data sets and an upload shortcut. */
final class Datasets {

    private Datasets() {}

    static byte[] resource(String name) {
        try (InputStream in = Datasets.class.getResourceAsStream("/datasets/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test data set " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String path(String tenant, String dataset) {
        return "/api/v1/tenants/" + tenant + "/datasets/" + dataset;
    }

    static Response upload(String key, String tenant, String dataset, String contentType, byte[] body) {
        return Api.as(key).contentType(contentType).body(body).post(path(tenant, dataset) + "/versions");
    }
}
