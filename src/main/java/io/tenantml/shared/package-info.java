/**
 * The small shared kernel: RFC 9457 problem details and their mapping to HTTP, time-ordered ids,
 * (in {@code cluster}) cache invalidation across nodes and (in {@code database}) the migration and
 * application database roles. Nothing here knows about a particular feature.
 */
package io.tenantml.shared;
