package io.tenantml.dataset.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantml.dataset.ColumnType;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ValuesTest {

    @Test
    void shouldParseTheTimestampShapesOfTheTestData() {
        assertThat(Values.timestamp("2012-01-01")).isEqualTo(Instant.parse("2012-01-01T00:00:00Z"));
        assertThat(Values.timestamp("2001/01/01 00:47")).isEqualTo(Instant.parse("2001-01-01T00:47:00Z"));
        assertThat(Values.timestamp("Jun 12 1998")).isEqualTo(Instant.parse("1998-06-12T00:00:00Z"));
        assertThat(Values.timestamp("2020-05-01T10:00:00Z")).isEqualTo(Instant.parse("2020-05-01T10:00:00Z"));
        assertThat(Values.timestamp("2020-05-01T12:00:00+02:00")).isEqualTo(Instant.parse("2020-05-01T10:00:00Z"));
        assertThat(Values.timestamp("2020-05-01 10:00:30.5")).isEqualTo(Instant.parse("2020-05-01T10:00:30.500Z"));
        assertThat(Values.timestamp("2020/05/01")).isEqualTo(Instant.parse("2020-05-01T00:00:00Z"));
        assertThat(Values.timestamp("not a date")).isSameAs(Values.INVALID);
        assertThat(Values.timestamp("2020-13-01")).isSameAs(Values.INVALID);
    }

    @Test
    void shouldParsePlainDecimalsExactlyLikeTheJdk() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(42);
        for (int i = 0; i < 100_000; i++) {
            long mantissa = random.nextLong(1_000_000_000_000_000L) / (1L << random.nextInt(40));
            int scale = random.nextInt(12);
            String text = new java.math.BigDecimal(java.math.BigInteger.valueOf(mantissa), scale).toPlainString();
            if (random.nextBoolean()) {
                text = "-" + text;
            }
            assertThat(Values.fastDecimal(text)).as("seed 42, value %s", text).isEqualTo(Double.parseDouble(text));
        }
        assertThat(Values.fastDecimal("1e5")).isNaN();
        assertThat(Values.fastDecimal("1.2.3")).isNaN();
        assertThat(Values.fastDecimal("-")).isNaN();
    }

    @Test
    void shouldTreatCommonNullTokensAsMissingAndRejectNonFiniteNumbers() {
        assertThat(Values.isMissing("")).isTrue();
        assertThat(Values.isMissing("NA")).isTrue();
        assertThat(Values.isMissing(null)).isTrue();
        assertThat(Values.isMissing("0")).isFalse();
        assertThat(Values.isMissing(" n/a ".toUpperCase(java.util.Locale.ROOT))).isTrue();
        assertThat(Values.isMissing("nan")).isTrue();
        assertThat(Values.isMissing("  ")).isTrue();
        assertThat(Values.isMissing("None")).isFalse();
        assertThat(Values.isMissing("Na")).isFalse();
        assertThat(Values.isMissing(" 12 ")).isFalse();
        assertThat(Values.parse(ColumnType.NUMERIC, "Infinity")).isSameAs(Values.INVALID);
        assertThat(Values.parse(ColumnType.INTEGER, "3.0")).isEqualTo(3L);
        assertThat(Values.parse(ColumnType.INTEGER, "3.5")).isSameAs(Values.INVALID);
        assertThat(Values.parse(ColumnType.BOOLEAN, "yes")).isEqualTo(true);
        assertThat(Values.parse(ColumnType.TEXT, 1776L)).isEqualTo("1776");
    }
}
