-- Webhook signing secrets at rest: webhook_endpoint.secret holds the secret encrypted with AES-256-GCM under the
-- platform's webhook key (tenantml.webhooks.secret-key), as v1:<key id>:<base64(nonce | ciphertext and tag)>,
-- bound to the row's tenant and endpoint id (io.tenantml.webhooks.internal.SecretCipher). Up to 184 characters
-- for the longest secret (whsec_ + base64 of 64 bytes); wider for a later format.
--
-- The rows written in clear before this are encrypted by the application, not here: the key is configuration the
-- migration cannot reach. Each node's delivery job encrypts them before its first delivery
-- (WebhookSecrets.sealUnderCurrentKey, a compare-and-set per row, so nodes starting together agree), and no
-- delivery ever signs with a value that lacks the v1: prefix.
alter table webhook_endpoint alter column secret type varchar(400);
