package io.tenantml.shared.rest;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import io.tenantml.shared.Problem;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * Puts the platform's error answers into the OpenAPI document: every API operation may answer 401, 403 and (with a
 * path parameter) 404, all as RFC 9457 problem+json ({@link Problem}), which {@code ProblemMappers} and the
 * authentication filter write for every error. The scanner only sees what the resource methods return, so without
 * this a generated client knew no error body at all. Written once here rather than on some seventy methods, where
 * the one that was forgotten would be the one a client trips over.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class ProblemResponses implements OASFilter {

    static final String SCHEMA = "Problem";

    private static final String REF = "#/components/schemas/" + SCHEMA;

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        Components components = openAPI.getComponents();
        if (components == null) {
            components = OASFactory.createComponents();
            openAPI.setComponents(components);
        }
        components.addSchema(SCHEMA, problemSchema());
        if (openAPI.getPaths() == null) {
            return;
        }
        for (Map.Entry<String, PathItem> path :
                openAPI.getPaths().getPathItems().entrySet()) {
            if (!path.getKey().startsWith("/api/")) {
                continue;
            }
            boolean parameterised = path.getKey().contains("{");
            for (Operation operation : path.getValue().getOperations().values()) {
                document(operation, parameterised);
            }
        }
    }

    private static void document(Operation operation, boolean parameterised) {
        APIResponses responses = operation.getResponses();
        if (responses == null) {
            responses = OASFactory.createAPIResponses();
            operation.setResponses(responses);
        }
        // the scanner's own 400 for a request body, and any 4xx a method declares without a body
        if (responses.getAPIResponses() != null) {
            for (Map.Entry<String, APIResponse> response :
                    responses.getAPIResponses().entrySet()) {
                if (isError(response.getKey()) && response.getValue().getContent() == null) {
                    response.getValue().setContent(problem());
                }
            }
        }
        if (operation.getRequestBody() != null || takesQueryOrHeader(operation)) {
            add(responses, "400", "Invalid request: the problem names the parameter or field (`parameter`, `field`)");
        }
        add(responses, "401", "No credential, or one that is not valid (too many failures: 429 with Retry-After)");
        add(
                responses,
                "403",
                "The credential's role may not call this operation (e.g. an integration key on an admin operation)");
        if (parameterised) {
            add(
                    responses,
                    "404",
                    "No such tenant or thing; another tenant's path answers the same, so that its existence never"
                            + " shows");
        }
        if (responses.getDefaultValue() == null) {
            responses.setDefaultValue(OASFactory.createAPIResponse()
                    .description("Any other refusal or failure (409 conflict or quota, 413, 415, 422, 429, 503 with"
                            + " Retry-After); `type` names the kind of problem")
                    .content(problem()));
        }
    }

    private static boolean takesQueryOrHeader(Operation operation) {
        if (operation.getParameters() == null) {
            return false;
        }
        for (Parameter parameter : operation.getParameters()) {
            if (parameter.getIn() == Parameter.In.QUERY || parameter.getIn() == Parameter.In.HEADER) {
                return true;
            }
        }
        return false;
    }

    private static boolean isError(String code) {
        return code.startsWith("4") || code.startsWith("5");
    }

    private static void add(APIResponses responses, String code, String description) {
        if (responses.hasAPIResponse(code)) {
            return;
        }
        responses.addAPIResponse(
                code, OASFactory.createAPIResponse().description(description).content(problem()));
    }

    private static Content problem() {
        return OASFactory.createContent()
                .addMediaType(
                        Problem.MEDIA_TYPE,
                        OASFactory.createMediaType()
                                .schema(OASFactory.createSchema().ref(REF)));
    }

    private static Schema problemSchema() {
        return OASFactory.createSchema()
                .addType(Schema.SchemaType.OBJECT)
                .description("An RFC 9457 problem detail; members named by a problem's type (`parameter`, `field`,"
                        + " `limit`, `max`, `retryAfterSeconds`, ...) sit beside the standard ones")
                .addProperty(
                        "type",
                        string("A stable URI per kind of problem (https://tenantml.io/problems/<kind>): branch on it"))
                .addProperty("title", string("The kind of problem, for a human"))
                .addProperty(
                        "status",
                        OASFactory.createSchema()
                                .addType(Schema.SchemaType.INTEGER)
                                .description("The HTTP status"))
                .addProperty("detail", string("What is wrong and where, for a human"))
                .addProperty("instance", string("The request path"))
                .addRequired("type")
                .addRequired("title")
                .addRequired("status")
                .additionalPropertiesSchema(OASFactory.createSchema());
    }

    private static Schema string(String description) {
        return OASFactory.createSchema().addType(Schema.SchemaType.STRING).description(description);
    }
}
