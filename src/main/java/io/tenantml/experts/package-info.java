/**
 * Recommended experts: per-tenant recommenders over a dataset of answered questions, index builds (embeddings
 * in process, a Lucene HNSW + BM25 index per generation in the blob store), hybrid ranking with reciprocal rank
 * fusion and an optional learned re-ranker, and the temporal-holdout evaluation that gates each build.
 */
package io.tenantml.experts;
