-- Freeing a model's storage without deleting the model (io.tenantml.registry.ModelRegistry#purgeArtifact): a
-- version's model file is purged, on an admin's request or by the model spec's retention (keepVersions). The
-- version's record stays (metrics, gate, parameters, feature importance, transform, lineage, the file's hash and
-- size), so the list of versions still says what each was and how it scored; it can no longer be loaded, served
-- or pointed at by an alias (410).
alter table model_version
    add column purged_at    timestamptz,
    add column purged_by    varchar(200),
    add column purge_reason varchar(20) check (purge_reason in ('requested', 'retention')),
    add constraint model_version_purge_whole
        check ((purged_at is null) = (purged_by is null) and (purged_at is null) = (purge_reason is null));
