package io.tenantml.archfixture.oneway.orders;

import io.tenantml.archfixture.oneway.billing.Invoice;

/** Fixture for ArchitectureRulesTest: orders uses billing. */
public record Order(String id, Invoice invoice) {}
