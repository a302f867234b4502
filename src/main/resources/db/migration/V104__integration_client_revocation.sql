-- Integration clients deleted through the platform (identity.IntegrationService.delete), so that the access tokens
-- they already hold stop working at once on every node instead of when they expire: access tokens are verified
-- locally, and Keycloak forgetting the client does not reach a token that is already out. A token of the tenant
-- whose client (azp) is listed here and that was issued before revoked_at (plus the allowed clock skew) is refused.
-- A row is of use only while tokens issued before it may still be unexpired: rows older than
-- tenantml.identity.revocation-retention are ignored when read and pruned at the tenant's next delete. An
-- offboarded tenant's rows go with it (its tokens are refused by the tenant's created_at from then on).
create table integration_revocation (
    tenant_id  varchar(40)  not null references tenant(id) on delete cascade,
    -- Keycloak's client id (tenant.<tenant>.<name>); 255 is Keycloak's own limit
    client_id  varchar(255) not null,
    revoked_at timestamptz  not null,
    -- one row per client: deleting a re-created client of the same id moves revoked_at forward
    primary key (tenant_id, client_id)
);
