-- Every tenant-owned table cascades from tenant(id) directly (TenantDeletionResourceTest checks it), not
-- only through a parent: offboarding is one delete whatever order the cascades take.
alter table model_reference_sketch
    add constraint model_reference_sketch_tenant_fkey foreign key (tenant_id) references tenant(id) on delete cascade;
