/**
 * The small shared kernel: RFC 9457 problem details and their mapping to HTTP, and the platform-wide
 * configuration root. Nothing here knows about a particular feature.
 */
package io.tenantml.shared;
