/**
 * Files that belong to tenants (datasets, models, indexes) behind the {@link io.tenantml.storage.BlobStore}
 * extension point: keys prefixed by tenant, checked paths, atomic writes that return their SHA-256.
 */
package io.tenantml.storage;
