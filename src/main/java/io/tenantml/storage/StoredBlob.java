package io.tenantml.storage;

/** What a completed write produced: the key, the SHA-256 (hex) of exactly the bytes written, and the size. */
public record StoredBlob(BlobKey key, String sha256, long bytes) {}
