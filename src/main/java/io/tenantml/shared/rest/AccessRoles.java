package io.tenantml.shared.rest;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import io.tenantml.shared.Access;
import io.tenantml.shared.Role;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;

/**
 * Writes on every operation of the OpenAPI document the roles that may call it ({@value #EXTENSION}: wire names,
 * operators first), read from the {@link Access} rule that authentication applies, so that a client (the console) can
 * offer only what its credential may do, and the document cannot drift from the rule. At start, not at build: the
 * resource classes are read from the container, as {@link RouteCatalogue} reads them.
 */
@OpenApiFilter(OpenApiFilter.RunStage.RUNTIME_STARTUP)
public class AccessRoles implements OASFilter {

    static final String EXTENSION = "x-tenantml-roles";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null) {
            return;
        }
        for (RouteCatalogue.Operation route : RouteCatalogue.operations()) {
            PathItem path = openAPI.getPaths().getPathItem(route.template());
            if (path == null || path.getOperations() == null) {
                continue;
            }
            Operation operation = path.getOperations().get(PathItem.HttpMethod.valueOf(route.verb()));
            if (operation != null) {
                operation.addExtension(
                        EXTENSION,
                        Access.Rule.roles(route.method()).stream()
                                .map(Role::wireName)
                                .toList());
            }
        }
    }
}
