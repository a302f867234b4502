package io.tenantml.archfixture.oneway.billing;

/** Fixture for ArchitectureRulesTest: billing knows nothing of orders. */
public record Invoice(String id, long cents) {}
