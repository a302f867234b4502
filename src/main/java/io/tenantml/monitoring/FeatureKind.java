package io.tenantml.monitoring;

/** How a feature's values are compared: as numbers on a line, or as labels without order. */
public enum FeatureKind {
    NUMERIC,
    CATEGORICAL
}
