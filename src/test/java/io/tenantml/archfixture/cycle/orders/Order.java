package io.tenantml.archfixture.cycle.orders;

import io.tenantml.archfixture.cycle.billing.Invoice;

/** Fixture for ArchitectureRulesTest: orders uses billing. */
public record Order(String id, Invoice invoice) {}
