package io.tenantml.statistics;

import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;

/** Which side of an interval a value equal to a split point belongs to, for ranks, CDFs and PMFs. */
public enum Intervals {
    /**
     * {@code (a, b]}: the rank (CDF) of {@code x} is the share of values at or below {@code x}, the usual
     * empirical CDF (SciPy's {@code ecdf}, {@code searchsorted(side="right")}).
     */
    RIGHT_CLOSED(QuantileSearchCriteria.INCLUSIVE),
    /**
     * {@code [a, b)}: the rank of {@code x} is the share of values strictly below {@code x}; the bins of
     * {@code numpy.histogram} (whose last bin is closed on both sides).
     */
    LEFT_CLOSED(QuantileSearchCriteria.EXCLUSIVE);

    final QuantileSearchCriteria criteria;

    Intervals(QuantileSearchCriteria criteria) {
        this.criteria = criteria;
    }
}
