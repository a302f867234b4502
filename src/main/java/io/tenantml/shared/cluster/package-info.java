/**
 * Cluster-wide cache invalidation: events published inside a transaction reach every node, this one at
 * commit and the others by PostgreSQL LISTEN/NOTIFY, so caches on the request path stay exact.
 */
package io.tenantml.shared.cluster;
