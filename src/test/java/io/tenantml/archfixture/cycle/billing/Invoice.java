package io.tenantml.archfixture.cycle.billing;

import io.tenantml.archfixture.cycle.orders.Order;

/** Fixture for ArchitectureRulesTest: billing uses orders back, which closes a cycle. */
public record Invoice(String id, Order order) {}
