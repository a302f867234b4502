package io.tenantml.usage.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantml.shared.TenantId;
import io.tenantml.usage.Meter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class MinuteTotalsTest {

    private static MinuteTotals.Key key(long minute) {
        return new MinuteTotals.Key(
                TenantId.of("acme"), Meter.PREDICT_RECORDS, new TreeMap<>(Map.of("model", "m")), minute);
    }

    @Test
    void shouldDropAnUnwrittenOldBucketAndAnswerOnlyItsUnwrittenPartAsLost() {
        MinuteTotals totals = new MinuteTotals();
        totals.add(key(100), 10);
        totals.written(totals.dirty(), 100);
        totals.add(key(100), 5);
        totals.add(key(2_000), 7);

        List<MinuteTotals.Snapshot> lost = totals.dropUnwrittenBefore(1_000);

        assertThat(lost).singleElement().satisfies(s -> {
            assertThat(s.key()).isEqualTo(key(100));
            assertThat(s.total()).isEqualTo(5);
        });
        assertThat(totals.dirty())
                .as("the old bucket is not written again: the rollup may have summed its first 10")
                .singleElement()
                .satisfies(s -> assertThat(s.key()).isEqualTo(key(2_000)));
        assertThat(totals.pending()).isEqualTo(7);
    }
}
