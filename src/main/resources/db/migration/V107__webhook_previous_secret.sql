-- A tenant rotates an endpoint's signing secret with an overlap (WebhookService.rotateSecret): the new secret goes
-- to webhook_endpoint.secret, the one it replaces to previous_secret until previous_secret_expires_at, and every
-- delivery in between carries both signatures (Standard Webhooks' space-separated webhook-signature), so that the
-- receiver can switch to the new secret at its own pace. At most two secrets: a rotation during an overlap drops the
-- older previous one.
--
-- previous_secret is encrypted exactly like secret (v1:<key id>:..., io.tenantml.webhooks.internal.SecretCipher),
-- but under associated data of its own that also names the expiry: it does not decrypt in the secret column, and
-- moving previous_secret_expires_at later makes it unreadable instead of extending the overlap. Both columns are
-- set and cleared together; the delivery job clears them once expired (and never signs with an expired one).
-- Rows stay tenant-scoped by the table's tenant_id (ON DELETE CASCADE).
alter table webhook_endpoint
    add column previous_secret varchar(400),
    add column previous_secret_expires_at timestamptz,
    add constraint webhook_endpoint_previous_secret_pair
        check ((previous_secret is null) = (previous_secret_expires_at is null));
-- the job's sweep of expired previous secrets looks at the few rows in an overlap only
create index webhook_endpoint_previous_secret_expiry on webhook_endpoint (previous_secret_expires_at)
    where previous_secret_expires_at is not null;
