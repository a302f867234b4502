package io.tenantml.rules;

import java.util.List;

/** The body of {@code PUT .../monitoring/rules}: the model's whole rule set (an empty list removes it). */
public record RulesRequest(List<Rule> rules) {}
