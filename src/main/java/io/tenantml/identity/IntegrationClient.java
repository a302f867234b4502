package io.tenantml.identity;

/** An integration client as listed: never with its secret. */
public record IntegrationClient(String clientId, String name, boolean enabled) {}
