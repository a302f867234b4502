package io.tenantml.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.tenantml.shared.TenantId;
import io.tenantml.testing.Api;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

/**
 * Pins how the Hibernate version in use applies the discriminator to statements that do not load
 * entities first (HHH-20883). Whatever the answer, platform code never writes tenant data with native SQL
 * or bulk statements lacking an explicit tenant predicate; this test tells us how much Hibernate adds.
 */
@QuarkusTest
class TenantFilteringTest {

    @Inject
    TenantScope scope;

    @Inject
    EntityManager em;

    @Test
    void shouldRestrictQueriesAndBulkUpdatesToTheTenantInContext() {
        String owner = Api.uniqueTenant("owner");
        String intruder = Api.uniqueTenant("intruder");
        Api.createTenant(owner);
        Api.createTenant(intruder);

        long visibleToIntruder = scope.call(
                new TenantId(intruder),
                () -> em.createQuery("select count(k) from ApiKeyEntity k", Long.class)
                        .getSingleResult());
        long visibleToOwner = scope.call(
                new TenantId(owner),
                () -> em.createQuery("select count(k) from ApiKeyEntity k", Long.class)
                        .getSingleResult());
        assertThat(visibleToIntruder).isEqualTo(1); // only its own admin key
        assertThat(visibleToOwner).isEqualTo(1);

        int updatedByIntruder = scope.call(
                new TenantId(intruder),
                () -> QuarkusTransaction.requiringNew()
                        .call(() -> em.createQuery("update ApiKeyEntity k set k.name = 'hijacked'")
                                .executeUpdate()));
        int deletedByIntruder = scope.call(
                new TenantId(intruder),
                () -> QuarkusTransaction.requiringNew()
                        .call(() -> em.createQuery("delete from ApiKeyEntity k where k.name = 'nothing-matches'")
                                .executeUpdate()));

        assertThat(updatedByIntruder)
                .as("HQL bulk update restricted to the intruder's own rows")
                .isEqualTo(1);
        assertThat(deletedByIntruder).isZero();
        String ownerKeyName = scope.call(
                new TenantId(owner),
                () -> em.createQuery("select k.name from ApiKeyEntity k", String.class)
                        .getSingleResult());
        assertThat(ownerKeyName).isEqualTo("admin");
    }
}
