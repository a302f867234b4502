/**
 * Who is calling and what they may do: credentials (API keys now, OIDC tokens through the same
 * {@link io.tenantml.security.CredentialVerifier} step), roles, and the one authorisation rule that
 * binds a principal to its tenant's paths.
 */
package io.tenantml.security;
