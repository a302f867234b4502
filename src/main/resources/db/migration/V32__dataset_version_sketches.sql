-- The column sketches of each dataset version: io.tenantml.statistics.TableSketch bytes (a versioned format of
-- our own around Apache DataSketches' KLL, HLL and frequent-items sketches), from which the version's profile
-- was computed. They merge and compare without the rows, for drift checks against a version later on.
-- One row per version, written in the version's transaction and never updated; versions stored before this
-- migration have none. A few KB per numeric column, at most 10 KB; about 20 KB for a categorical one with
-- 1,000 values.
create table dataset_version_sketch (
    version_id uuid        primary key references dataset_version(id) on delete cascade,
    tenant_id  varchar(40) not null references tenant(id) on delete cascade,
    sketches   bytea       not null
);
