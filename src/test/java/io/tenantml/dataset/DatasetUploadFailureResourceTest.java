package io.tenantml.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.tenantml.shared.TenantId;
import io.tenantml.storage.BlobStore;
import io.tenantml.testing.Api;
import io.tenantml.testing.Fixtures;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every refused upload answers with a problem naming the line or the limit, and leaves nothing behind. */
@QuarkusTest
class DatasetUploadFailureResourceTest {

    @Inject
    BlobStore blobs;

    String tenant;
    String admin;

    @BeforeEach
    void tenant() {
        tenant = Api.uniqueTenant("fail");
        admin = Api.createTenant(tenant);
    }

    @Test
    void shouldRejectUnterminatedQuoteWith400NamingTheLineAndStoreNothing() throws IOException {
        upload("text/csv", "a,b\n1,2\n3,\"unterminated\n4,5\n", "k-quote")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("line 3"));
        assertNothingStored("k-quote");
    }

    @Test
    void shouldRejectRaggedRowWith400NamingTheLine() throws IOException {
        upload("text/csv", "a,b\n1,2\n3,4\n5,6,7\n", "k-ragged")
                .then()
                .statusCode(400)
                .body("detail", containsString("line 4"))
                .body("detail", containsString("ragged"));
        assertNothingStored("k-ragged");
    }

    @Test
    void shouldRejectInvalidJsonWith400NamingTheRecord() throws IOException {
        upload("application/json", "[{\"a\": 1}, {\"a\": 2,}]", "k-json")
                .then()
                .statusCode(400)
                .body("detail", containsString("record 2"));
        upload("application/x-ndjson", "{\"a\": 1}\n{\"a\": 2}\n{\"a\": oops}\n", null)
                .then()
                .statusCode(400)
                .body("detail", containsString("line 3"));
        assertNothingStored("k-json");
    }

    @Test
    void shouldRejectInvalidUtf8With400() throws IOException {
        byte[] latin1 = "name,city\nJos\u00e9,M\u00e1laga\n".getBytes(StandardCharsets.ISO_8859_1);
        Fixtures.upload(tenant, admin, "d", "text/csv", latin1)
                .then()
                .statusCode(400)
                .body("detail", containsString("UTF-8"))
                .body("detail", containsString("line 2"));
        assertNothingStored(null);
    }

    @Test
    void shouldRejectTooManyColumnsWith422NamingTheLimit() throws IOException {
        StringBuilder header = new StringBuilder("c0");
        StringBuilder row = new StringBuilder("0");
        for (int i = 1; i <= 500; i++) {
            header.append(",c").append(i);
            row.append(",").append(i);
        }
        upload("text/csv", header + "\n" + row + "\n", "k-cols")
                .then()
                .statusCode(422)
                .body("limit", equalTo("maxColumns"))
                .body("detail", containsString("maxColumns"));
        assertNothingStored("k-cols");
    }

    @Test
    void shouldRejectOversizedCellWith422NamingTheLimit() throws IOException {
        upload("text/csv", "a,b\n1,\"" + "x".repeat(70_000) + "\"\n", "k-cell")
                .then()
                .statusCode(422)
                .body("limit", equalTo("maxCellChars"));
        upload("application/json", "[{\"a\": \"" + "x".repeat(70_000) + "\"}]", null)
                .then()
                .statusCode(422)
                .body("limit", equalTo("maxCellChars"));
        assertNothingStored("k-cell");
    }

    @Test
    void shouldRejectTooManyRowsWith413NamingTheLimit() throws IOException {
        // %test.tenantml.dataset.max-rows=100000 in application.properties
        StringBuilder body = new StringBuilder("n\n");
        for (int i = 0; i <= 100_000; i++) {
            body.append(i).append('\n');
        }
        upload("text/csv", body.toString(), "k-rows")
                .then()
                .statusCode(413)
                .body("limit", equalTo("maxRows"))
                .body("detail", containsString("maxRows"));
        assertNothingStored("k-rows");
    }

    @Test
    void shouldRefuseUploadBeyondPolicyWith422CarryingTheReportAndStoreNothing() throws IOException {
        Api.as(admin)
                .contentType("application/json")
                .body("""
                {"schema": {"columns": [{"name": "id", "type": "integer", "nullable": false},
                                        {"name": "score", "type": "numeric", "min": 0, "max": 1}],
                            "primaryKey": "id"},
                 "policy": {"maxInvalidRowFraction": 0.1, "onInvalidRows": "quarantine"}}""")
                .put(Fixtures.datasetPath(tenant, "d"))
                .then()
                .statusCode(201);
        upload("text/csv", "id,score\n1,0.5\n2,7\nx,0.1\n4,0.2\n", "k-policy")
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("validation.status", equalTo("failed"))
                .body("validation.invalidRows", equalTo(2))
                .body(
                        "validation.anomalies.find { it.column == 'score' && it.check == 'range' }.examples[0].line",
                        equalTo(3))
                .body(
                        "validation.anomalies.find { it.column == 'score' && it.check == 'range' }.examples[0].value",
                        equalTo("7"))
                .body(
                        "validation.anomalies.find { it.column == 'id' && it.check == 'type' }.examples[0].line",
                        equalTo(4));
        Api.as(admin)
                .get(Fixtures.datasetPath(tenant, "d"))
                .then()
                .statusCode(200)
                .body("versionCount", equalTo(0));
        assertThat(blobs.list(new TenantId(tenant), "")).isEmpty();
        // The key was released with the refusal: it can carry a good upload now.
        upload("text/csv", "id,score\n1,0.5\n", "k-policy").then().statusCode(201);
    }

    private io.restassured.response.Response upload(String contentType, String body, String key) {
        var request = Api.as(admin).contentType(contentType).body(body.getBytes(StandardCharsets.UTF_8));
        if (key != null) {
            request = request.header("Idempotency-Key", key);
        }
        return request.post(Fixtures.datasetPath(tenant, "d") + "/versions");
    }

    private void assertNothingStored(String idempotencyKey) throws IOException {
        Api.as(admin).get(Fixtures.datasetPath(tenant, "d")).then().statusCode(404);
        Api.as(admin)
                .get("/api/v1/tenants/" + tenant + "/datasets")
                .then()
                .statusCode(200)
                .body("items.size()", equalTo(0));
        assertThat(blobs.list(new TenantId(tenant), "")).isEmpty();
        if (idempotencyKey != null) {
            // A failed upload does not hold its key: the same key now works for a valid body.
            upload("text/csv", "a\n1\n", idempotencyKey).then().statusCode(201).body("version", equalTo(1));
        }
    }
}
