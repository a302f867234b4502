package io.tenantml.rules.rest;

import io.tenantml.rules.MonitoringRules;
import io.tenantml.rules.RulesRequest;
import io.tenantml.rules.RulesView;
import io.tenantml.shared.Access;
import io.tenantml.shared.Page;
import io.tenantml.shared.Role;
import io.tenantml.shared.rest.PageParams;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** A model's monitoring rules: which window signals lead to which actions, and each rule's state. */
@Path("/api/v1/tenants/{tenant}/models/{model}/monitoring/rules")
@Produces(MediaType.APPLICATION_JSON)
@Access({Role.ADMIN})
public class MonitoringRulesResource {

    @Inject
    MonitoringRules rules;

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Put the model's monitoring rules (an empty list removes them). A rule of the same name (or,"
                    + " unnamed, the same content) as one before keeps its state: its cooldown clock always, its"
                    + " episode unless its signal changed; the others start clear, a removed rule's watch ends."
                    + " 400 naming the field of an invalid rule (rules[i].name: malformed or not unique)")
    public RulesView put(@PathParam("tenant") String tenant, @PathParam("model") String model, RulesRequest body) {
        return rules.put(model, body);
    }

    @GET
    @Operation(
            summary = "The model's monitoring rules, each with its state (firing since, last action), and what"
                    + " the rules did lately")
    public RulesView get(@PathParam("tenant") String tenant, @PathParam("model") String model) {
        return rules.get(model);
    }

    @GET
    @Path("firings")
    @Operation(
            summary = "Everything the model's rules did (fired, alert, retrain, recovered, suppressed), newest"
                    + " first, paged; the rules' view shows the latest 20")
    public Page<RulesView.Firing> firings(
            @PathParam("tenant") String tenant, @PathParam("model") String model, @BeanParam PageParams page) {
        return rules.firings(model, page.request());
    }
}
