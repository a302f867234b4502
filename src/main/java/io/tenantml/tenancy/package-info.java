/**
 * Tenants and the tenant context: who the current tenant is (set only from a verified credential or
 * explicitly by a background job), the tenant lifecycle (onboard, offboard) and declarative manifests.
 */
package io.tenantml.tenancy;
