package io.tenantml.monitoring;

/**
 * Extension point: a two-sample test of whether a feature's distribution in a window of traffic differs
 * from its training reference. Implementations are registered in {@link DriftTests}; each is checked by
 * the contract suite {@code DriftTestContract}.
 *
 * <p>Lifecycle and guarantees:
 * <ul>
 *   <li>an instance is created once with its settings and then shared: stateless, thread-safe, and
 *       {@link #measure} is called once per feature per window, possibly concurrently, with a reference
 *       summary reused across many windows (never modified);</li>
 *   <li>deterministic: the same summaries give the same measurement, bit for bit (no randomness, no
 *       dependence on call order);</li>
 *   <li>identical summaries give statistic and effect size 0 and, where there is a p-value, p = 1;</li>
 *   <li>p-values lie in [0, 1]; effect sizes are non-negative and do not grow with the sample size alone;</li>
 *   <li>sketch error never makes a window look more different than it is: the p-value and the
 *       effect-size lower bound are those of the least different distributions the summaries allow;</li>
 *   <li>{@link #symmetric()} tests give the same statistic with the two summaries swapped.</li>
 * </ul>
 *
 * @param <S> the summaries it compares
 */
public interface DriftTest<S extends FeatureSummary> {

    DriftTestKind kind();

    /** Whether it accepts this kind of feature. */
    boolean accepts(FeatureKind kind);

    /** Whether the statistic is unchanged when reference and window are swapped. */
    boolean symmetric();

    /**
     * Compares a window with the reference. Both summaries must hold at least one value and be of a kind
     * this test {@linkplain #accepts accepts}; otherwise {@link IllegalArgumentException}.
     */
    DriftMeasurement measure(S reference, S window);
}
