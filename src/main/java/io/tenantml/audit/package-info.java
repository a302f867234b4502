/**
 * The audit trail: who changed what, when and by which request, as one append-only hash chain per tenant
 * (and one for the platform). {@link io.tenantml.audit.Audit} is the API every feature records into; a
 * response filter records every successful mutating request nobody recorded more richly.
 */
package io.tenantml.audit;
