package io.tenantml.identity.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantml.shared.TenantId;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class KeycloakTenantDirectoryTest {

    @Test
    void shouldGiveDifferentClientIdsToPairsThatDashesWouldJoin() {
        assertThat(KeycloakTenantDirectory.clientId(new TenantId("acme"), "x-integration"))
                .isNotEqualTo(KeycloakTenantDirectory.clientId(new TenantId("acme-x"), "integration"));
    }

    @Test
    void shouldReadEveryPageOfASearch() {
        int total = KeycloakTenantDirectory.PAGE * 3 + 7;
        List<Integer> firsts = new ArrayList<>();
        List<Integer> all = KeycloakTenantDirectory.allPages(first -> {
            firsts.add(first);
            return IntStream.range(first, Math.min(total, first + KeycloakTenantDirectory.PAGE))
                    .boxed()
                    .toList();
        });
        assertThat(all).hasSize(total).doesNotHaveDuplicates();
        assertThat(firsts).hasSize(4);
    }

    @Test
    void shouldAskForOneMorePageWhenTheLastIsFull() {
        int total = KeycloakTenantDirectory.PAGE * 2;
        List<Integer> all = KeycloakTenantDirectory.allPages(first -> IntStream.range(
                        first, Math.min(total, first + KeycloakTenantDirectory.PAGE))
                .boxed()
                .toList());
        assertThat(all).hasSize(total);
    }

    private static Runnable refusedWith(int status) {
        return () -> {
            throw new WebApplicationException(Response.status(status).build());
        };
    }

    @Test
    void shouldTakeARefusedDeleteAsAnotherRequestsWhenTheObjectIsGoneOnReading() {
        // an organization deleted by a concurrent offboarding: Keycloak answers the loser 400, the reread 404
        for (int refusal : List.of(400, 409, 500)) {
            assertThat(KeycloakTenantDirectory.deleteOnce("org", refusedWith(refusal), refusedWith(404)))
                    .as("refused %d, then gone", refusal)
                    .isFalse();
        }
        List<String> reads = new ArrayList<>();
        assertThat(KeycloakTenantDirectory.deleteOnce("org", refusedWith(404), () -> reads.add("read")))
                .isFalse();
        assertThat(reads).as("a 404 needs no reread").isEmpty();
        assertThat(KeycloakTenantDirectory.deleteOnce("org", () -> {}, refusedWith(404)))
                .isTrue();
    }

    @Test
    void shouldKeepTheRefusalOfADeleteWhenTheObjectIsStillThere() {
        assertThatThrownBy(() -> KeycloakTenantDirectory.deleteOnce("org", refusedWith(400), () -> {}))
                .isInstanceOfSatisfying(
                        WebApplicationException.class,
                        e -> assertThat(e.getResponse().getStatus()).isEqualTo(400));
    }
}
