-- Freeing a dataset's storage without deleting the dataset (io.tenantml.dataset.DatasetService#purgeRows): a
-- version's rows and quarantine files are purged, on an admin's request or by the dataset's retention
-- (keep_versions). The version's record stays (number, hashes, counts, schema, validation report, profile,
-- sketches, provenance), so lineage and the list of versions still say what it held and where it came from;
-- only its rows can no longer be read (410). A version is purged once and never comes back.
alter table dataset_version
    add column purged_at    timestamptz,
    add column purged_by    varchar(200),
    add column purge_reason varchar(20) check (purge_reason in ('requested', 'retention')),
    add constraint dataset_version_purge_whole
        check ((purged_at is null) = (purged_by is null) and (purged_at is null) = (purge_reason is null));

-- How many of the newest versions keep their rows (the retention applied after every new version and every
-- change of the definition); null keeps every version's rows.
alter table dataset add column keep_versions integer check (keep_versions between 1 and 10000);
