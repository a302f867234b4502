package io.tenantml.dataset.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantml.dataset.ColumnProfile;
import io.tenantml.dataset.DatasetProfile;
import io.tenantml.statistics.ColumnSketch;
import io.tenantml.statistics.Intervals;

/**
 * Two profiles of the same rows agree exactly except for what KLL's random compaction may move: quantiles and
 * histogram counts, each within the sketch's own bound of the other.
 */
final class ProfileAssertions {

    private ProfileAssertions() {}

    static void assertSameProfileUpToSketchError(Ingestion.Outcome actual, Ingestion.Outcome expected) {
        assertThat(withoutRankStatistics(actual.profile())).isEqualTo(withoutRankStatistics(expected.profile()));
        for (ColumnProfile column : actual.profile().columns()) {
            ColumnProfile other = expected.profile().column(column.name()).orElseThrow();
            if (column.quantiles() == null) {
                assertThat(other.quantiles()).isNull();
                continue;
            }
            ColumnSketch reference = expected.sketches().column(column.name()).orElseThrow();
            // Each quantile is within eps of its rank in its own sketch, whose ranks are within eps of the truth,
            // as are the reference's: 2 eps apart at most.
            double eps = 2 * reference.rankError();
            for (int i = 0; i < ColumnProfiler.QUANTILES.length; i++) {
                double rank = ColumnProfiler.QUANTILES[i];
                double q = column.quantiles().get(ColumnProfiler.QUANTILE_NAMES[i]);
                assertThat(rank)
                        .as("%s %s = %s", column.name(), ColumnProfiler.QUANTILE_NAMES[i], q)
                        .isBetween(
                                reference.rank(q, Intervals.LEFT_CLOSED) - eps,
                                reference.rank(q, Intervals.RIGHT_CLOSED) + eps);
            }
            assertThat(column.histogram().edges()).isEqualTo(other.histogram().edges());
            for (int b = 0; b < column.histogram().counts().size(); b++) {
                long difference = Math.abs(column.histogram().counts().get(b)
                        - other.histogram().counts().get(b));
                assertThat((double) difference)
                        .as("%s histogram bin %d", column.name(), b)
                        .isLessThanOrEqualTo(2 * reference.pmfError() * column.count() + 2);
            }
        }
    }

    private static DatasetProfile withoutRankStatistics(DatasetProfile profile) {
        return new DatasetProfile(
                profile.rows(),
                profile.columns().stream()
                        .map(c -> new ColumnProfile(
                                c.name(),
                                c.type(),
                                c.count(),
                                c.missing(),
                                c.distinct(),
                                c.min(),
                                c.max(),
                                c.mean(),
                                c.std(),
                                null,
                                null,
                                c.topValues()))
                        .toList());
    }
}
