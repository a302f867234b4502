package io.tenantml.training;

import static io.tenantml.testing.Fixtures.base;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.tenantml.shared.TenantId;
import io.tenantml.tenancy.TenantScope;
import io.tenantml.testing.Api;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Trainings and batch predictions are listed in pages (issue 10, acceptance 5). */
@QuarkusTest
class TrainingPagesResourceTest {

    private static final int TRAININGS = 2_500;

    @Inject
    TrainingService trainings;

    @Inject
    TenantScope scope;

    /**
     * The 2,500 trainings are made cheaply through the Java API rather than trained: each is a scheduled training
     * recorded as skipped ({@link TrainingService#recordSkipped}), which writes its training row and its run in the
     * run ledger exactly as a real one does, in one transaction for all of them. Half are of another model, so the
     * model filter is paged too.
     */
    @Test
    void shouldWalkTwoThousandFiveHundredTrainingsInPagesOfAThousandSeeingEachOnce() {
        String tenant = Api.uniqueTenant("pages");
        String admin = Api.createTenant(tenant);
        Set<UUID> made = new HashSet<>();
        Set<UUID> ofModelA = new HashSet<>();
        scope.run(
                new TenantId(tenant),
                () -> QuarkusTransaction.requiringNew().run(() -> {
                    for (int i = 0; i < TRAININGS; i++) {
                        String model = i % 2 == 0 ? "a" : "b";
                        UUID id = trainings
                                .recordSkipped(model, "d", 1, "no new data")
                                .id();
                        made.add(id);
                        if (model.equals("a")) {
                            ofModelA.add(id);
                        }
                    }
                }));

        List<String> seen = walk(admin, base(tenant) + "/trainings", 1000);
        assertThat(seen).hasSize(TRAININGS).doesNotHaveDuplicates();
        assertThat(seen.stream().map(UUID::fromString).toList()).containsExactlyInAnyOrderElementsOf(made);

        List<String> seenOfA = walk(admin, base(tenant) + "/trainings?model=a", 1000);
        assertThat(seenOfA.stream().map(UUID::fromString).toList()).containsExactlyInAnyOrderElementsOf(ofModelA);
    }

    @Test
    void shouldAnswerFiftyByDefaultAndRefuseALimitAboveAThousandOrAForeignCursor() {
        String tenant = Api.uniqueTenant("pages-bad");
        String admin = Api.createTenant(tenant);
        scope.run(
                new TenantId(tenant),
                () -> QuarkusTransaction.requiringNew().run(() -> {
                    for (int i = 0; i < 60; i++) {
                        trainings.recordSkipped("a", "d", 1, "no new data");
                    }
                }));
        Api.as(admin)
                .get(base(tenant) + "/trainings")
                .then()
                .statusCode(200)
                .body("items.size()", equalTo(50))
                .body("next", org.hamcrest.Matchers.notNullValue());
        Api.as(admin)
                .get(base(tenant) + "/trainings?limit=1001")
                .then()
                .statusCode(400)
                .body("parameter", equalTo("limit"));
        Api.as(admin)
                .get(base(tenant) + "/trainings?cursor=bm90LWEtY3Vyc29y")
                .then()
                .statusCode(400)
                .body("parameter", equalTo("cursor"));
    }

    /** Follows {@code next} from the first page to the last; returns the ids in the order they came. */
    private static List<String> walk(String key, String path, int limit) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Response page = Api.as(key)
                    .queryParam("limit", limit)
                    .queryParams(cursor == null ? java.util.Map.of() : java.util.Map.of("cursor", cursor))
                    .get(path);
            assertThat(page.statusCode()).as(page.asString()).isEqualTo(200);
            List<String> items = page.path("items.id");
            assertThat(items.size()).isLessThanOrEqualTo(limit);
            ids.addAll(items);
            cursor = page.path("next");
            assertThat(++pages).as("pages").isLessThanOrEqualTo(TRAININGS / limit + 2);
        } while (cursor != null);
        return ids;
    }
}
