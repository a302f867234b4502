package io.tenantml.monitoring;

/** How a drift test's p-value was obtained. */
public enum PValueMethod {
    /** From the exact null distribution of the statistic (small samples). */
    EXACT,
    /** From the statistic's asymptotic or approximating distribution. */
    ASYMPTOTIC,
    /** The test is a distance and gives no p-value. */
    NONE
}
