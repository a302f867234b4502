package io.tenantml.identity.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantml.shared.TenantId;
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
}
