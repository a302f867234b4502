package io.tenantml.shared.rest;

import io.tenantml.shared.PageRequest;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/**
 * The query parameters of every list endpoint ({@code @BeanParam PageParams page}), so that each list reads and
 * documents {@code limit} and {@code cursor} the same way. Both are taken as text and checked by
 * {@link PageRequest#parse}: a garbage limit is a 400 naming it, where JAX-RS conversion would give a 404.
 */
public class PageParams {

    @QueryParam("limit")
    @Parameter(
            description = "How many items at most (1 to 1000, default 50)",
            schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "1000", defaultValue = "50"))
    String limit;

    @QueryParam("cursor")
    @Parameter(
            description = "The `next` of the previous page; absent for the first page. Opaque: pass it back as given",
            schema = @Schema(type = SchemaType.STRING))
    String cursor;

    public PageRequest request() {
        return PageRequest.parse(limit, cursor);
    }
}
