/**
 * Identity with Keycloak: verifies OIDC access tokens beside API keys (same principal, same authorisation),
 * and provisions each tenant's organization, integration clients and admin user through the admin API.
 */
package io.tenantml.identity;
