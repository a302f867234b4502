/**
 * The model registry: immutable model versions with lineage and provenance, aliases such as
 * {@code production} with an audit trail, and UBJSON model files whose SHA-256 is checked at every load.
 */
package io.tenantml.registry;
