package io.tenantml.identity.rest;

import io.tenantml.identity.IntegrationService;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ResourceInfo;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Answers every integration endpoint with the feature's 404 while Keycloak provisioning is off, before its body is
 * read: a POST with an invalid body was a 400 naming a field of a request that could never succeed here. It runs
 * after authentication and authorisation, so another tenant's path and a caller without the role are answered as
 * everywhere else.
 */
public class IntegrationFeatureGate {

    @Inject
    IntegrationService integrations;

    // non-blocking: it reads configuration only, and the rate limiter after it is non-blocking too
    @ServerRequestFilter(nonBlocking = true, priority = Priorities.AUTHORIZATION + 10)
    public void refuseWhileProvisioningIsOff(ResourceInfo resource) {
        if (resource.getResourceClass() == IntegrationResource.class) {
            integrations.requireProvisioning();
        }
    }
}
