/**
 * A bounded, leased, single-flight cache of loaded artifacts (model boosters, open index generations): LRU by
 * count and bytes, a value closed only after its last lease is released. Used by serving and experts.
 */
package io.tenantml.shared.cache;
