-- Cached embeddings were kept for good: texts that changed, versions whose rows were purged and recommenders that
-- were deleted left vectors no build asks for again. Each row now says on which UTC day a build last used it (a hit
-- or a store); io.tenantml.experts.internal.EmbeddingCache deletes those unused for the retention, found by this
-- index. Rows already there count as used today: they get a whole retention before they can go.
alter table expert_embedding add column used_on date not null default current_date;
create index expert_embedding_used_on on expert_embedding (used_on);
