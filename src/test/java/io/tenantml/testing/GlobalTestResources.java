package io.tenantml.testing;

import io.quarkus.test.common.QuarkusTestResource;

/** Registers {@link TestDatabase} for every {@code @QuarkusTest} in the module. */
@QuarkusTestResource(value = TestDatabase.class, restrictToAnnotatedClass = false)
public final class GlobalTestResources {
    private GlobalTestResources() {}
}
