/**
 * The small shared kernel: RFC 9457 problem details and their mapping to HTTP, time-ordered ids, and
 * (in {@code cluster}) cache invalidation across nodes. Nothing here knows about a particular feature.
 */
package io.tenantml.shared;
