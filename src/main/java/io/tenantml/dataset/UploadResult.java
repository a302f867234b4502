package io.tenantml.dataset;

/** @param replayed true when an Idempotency-Key matched an earlier upload and nothing new was stored */
public record UploadResult(DatasetVersionView version, boolean replayed) {}
