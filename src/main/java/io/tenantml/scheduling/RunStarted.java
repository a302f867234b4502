package io.tenantml.scheduling;

/**
 * CDI event fired synchronously on the worker thread once a run is RUNNING, just before its handler is called,
 * inside the run's tenant scope. An observer that blocks holds the run's slot for as long as it blocks (tests use
 * this to make a run "long" without sleeping in production code).
 */
public record RunStarted(Run run) {}
