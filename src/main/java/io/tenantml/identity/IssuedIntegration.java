package io.tenantml.identity;

/**
 * A new integration client with its secret, shown once. {@code tokenUrl} is where the integration trades
 * them for access tokens (OAuth2 client credentials grant).
 */
public record IssuedIntegration(String clientId, String name, String clientSecret, String tokenUrl) {}
