package io.tenantml.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CellParserTest {

    @Test
    void shouldParseTheTimestampShapesOfTheTestData() {
        assertThat(CellParser.parse(ColumnType.TIMESTAMP, "2012-01-01"))
                .isEqualTo(Instant.parse("2012-01-01T00:00:00Z"));
        assertThat(CellParser.parse(ColumnType.TIMESTAMP, "2001/01/01 00:47"))
                .isEqualTo(Instant.parse("2001-01-01T00:47:00Z"));
        assertThat(CellParser.parse(ColumnType.TIMESTAMP, "Jun 12 1998"))
                .isEqualTo(Instant.parse("1998-06-12T00:00:00Z"));
        assertThat(CellParser.parse(ColumnType.TIMESTAMP, "2020-05-01T10:00:00Z"))
                .isEqualTo(Instant.parse("2020-05-01T10:00:00Z"));
        assertThat(CellParser.parse(ColumnType.TIMESTAMP, "2020-05-01T12:00:00+02:00"))
                .isEqualTo(Instant.parse("2020-05-01T10:00:00Z"));
        assertThat(CellParser.parse(ColumnType.TIMESTAMP, "2020-05-01 10:00:30.5"))
                .isEqualTo(Instant.parse("2020-05-01T10:00:30.500Z"));
        assertThat(CellParser.parse(ColumnType.TIMESTAMP, "2020/05/01"))
                .isEqualTo(Instant.parse("2020-05-01T00:00:00Z"));
        assertThat(CellParser.parse(ColumnType.TIMESTAMP, "not a date")).isSameAs(CellParser.INVALID);
        assertThat(CellParser.parse(ColumnType.TIMESTAMP, "2020-13-01")).isSameAs(CellParser.INVALID);
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
            assertThat(CellParser.fastDecimal(text))
                    .as("seed 42, value %s", text)
                    .isEqualTo(Double.parseDouble(text));
        }
        assertThat(CellParser.fastDecimal("1e5")).isNaN();
        assertThat(CellParser.fastDecimal("1.2.3")).isNaN();
        assertThat(CellParser.fastDecimal("-")).isNaN();
    }

    @Test
    void shouldTreatCommonNullTokensAsMissingAndRejectNonFiniteNumbers() {
        assertThat(CellParser.isMissing("")).isTrue();
        assertThat(CellParser.isMissing("NA")).isTrue();
        assertThat(CellParser.isMissing(null)).isTrue();
        assertThat(CellParser.isMissing("0")).isFalse();
        assertThat(CellParser.isMissing(" n/a ".toUpperCase(java.util.Locale.ROOT)))
                .isTrue();
        assertThat(CellParser.isMissing("nan")).isTrue();
        assertThat(CellParser.isMissing("  ")).isTrue();
        assertThat(CellParser.isMissing("None")).isFalse();
        assertThat(CellParser.isMissing("Na")).isFalse();
        assertThat(CellParser.isMissing(" 12 ")).isFalse();
        assertThat(CellParser.parse(ColumnType.NUMERIC, "Infinity")).isSameAs(CellParser.INVALID);
        assertThat(CellParser.parse(ColumnType.INTEGER, "3.0")).isEqualTo(3L);
        assertThat(CellParser.parse(ColumnType.INTEGER, "3.5")).isSameAs(CellParser.INVALID);
        assertThat(CellParser.parse(ColumnType.BOOLEAN, "yes")).isEqualTo(true);
        assertThat(CellParser.parse(ColumnType.TEXT, 1776L)).isEqualTo("1776");
    }

    @Test
    void shouldRefuseNumbersBeyondTheFloatRangeThatFeaturesWouldTurnInfinite() {
        for (Object beyond : new Object[] {"1e39", "-3.5e38", 1e300, "340282356779733661637539395458142568448"}) {
            assertThat(CellParser.parse(ColumnType.NUMERIC, beyond))
                    .as("%s", beyond)
                    .isSameAs(CellParser.INVALID);
        }
        assertThat(CellParser.parse(ColumnType.NUMERIC, "3.4e38")).isEqualTo(3.4e38);
        assertThat(CellParser.parse(ColumnType.NUMERIC, (double) -Float.MAX_VALUE))
                .isEqualTo((double) -Float.MAX_VALUE);
        assertThat(CellParser.parse(ColumnType.NUMERIC, "12.5")).isEqualTo(12.5);
    }

    @Test
    void shouldIgnoreSurroundingWhiteSpaceOfNumbersBooleansAndTimestampsButNotOfText() {
        assertThat(CellParser.parse(ColumnType.NUMERIC, "\t12.5 ")).isEqualTo(12.5);
        assertThat(CellParser.parse(ColumnType.NUMERIC, "1 2")).isSameAs(CellParser.INVALID);
        assertThat(CellParser.parse(ColumnType.INTEGER, " 7\n")).isEqualTo(7L);
        assertThat(CellParser.parse(ColumnType.BOOLEAN, "\tYes ")).isEqualTo(true);
        assertThat(CellParser.parse(ColumnType.TIMESTAMP, " Jan 5 2024\t"))
                .isEqualTo(Instant.parse("2024-01-05T00:00:00Z"));
        assertThat(CellParser.parse(ColumnType.CATEGORICAL, " Paris ")).isEqualTo(" Paris ");
    }

    @Test
    void shouldGiveJsonNumbersInTextColumnsTheirCanonicalText() {
        assertThat(CellParser.parse(ColumnType.CATEGORICAL, 1.0)).isEqualTo("1");
        assertThat(CellParser.parse(ColumnType.CATEGORICAL, 1)).isEqualTo("1");
        assertThat(CellParser.parse(ColumnType.CATEGORICAL, 1L)).isEqualTo("1");
        assertThat(CellParser.parse(ColumnType.CATEGORICAL, -0.0)).isEqualTo("0");
        assertThat(CellParser.parse(ColumnType.TEXT, 2.5)).isEqualTo("2.5");
        assertThat(CellParser.parse(ColumnType.TEXT, 1e20)).isEqualTo("1.0E20");
        assertThat(CellParser.parse(ColumnType.TEXT, new BigInteger("123456789012345678901234567890")))
                .isEqualTo("123456789012345678901234567890");
        assertThat(CellParser.parse(ColumnType.TEXT, true)).isEqualTo("true");
        assertThat(CellParser.parse(ColumnType.TEXT, "1.0"))
                .as("strings are kept")
                .isEqualTo("1.0");
        assertThat(CellParser.parse(ColumnType.TEXT, List.of("a"))).isSameAs(CellParser.INVALID);
        assertThat(CellParser.parse(ColumnType.TEXT, Map.of("a", 1))).isSameAs(CellParser.INVALID);
    }

    @Test
    void shouldRefuseTextWithAnUnpairedSurrogate() {
        assertThat(CellParser.parse(ColumnType.TEXT, "a\ud800")).isSameAs(CellParser.INVALID);
        assertThat(CellParser.parse(ColumnType.TEXT, "\udc00b")).isSameAs(CellParser.INVALID);
        assertThat(CellParser.parse(ColumnType.TEXT, "\ud83d\ude00")).isEqualTo("\ud83d\ude00");
    }

    @Test
    void shouldReadWholeJsonNumbersAsEpochMillisecondsWithinTheYears0To9999() {
        assertThat(CellParser.parse(ColumnType.TIMESTAMP, 1_704_103_200_000L))
                .isEqualTo(Instant.parse("2024-01-01T10:00:00Z"));
        assertThat(CellParser.parse(ColumnType.TIMESTAMP, 0)).isEqualTo(Instant.EPOCH);
        assertThat(CellParser.parse(ColumnType.TIMESTAMP, 1.7041032e12))
                .isEqualTo(Instant.parse("2024-01-01T10:00:00Z"));
        assertThat(CellParser.parse(ColumnType.TIMESTAMP, 253_402_300_799_999L))
                .isEqualTo(Instant.parse("9999-12-31T23:59:59.999Z"));
        assertThat(CellParser.parse(ColumnType.TIMESTAMP, -62_167_219_200_000L))
                .isEqualTo(Instant.parse("0000-01-01T00:00:00Z"));
        assertThat(CellParser.parse(ColumnType.TIMESTAMP, 253_402_300_800_000L)).isSameAs(CellParser.INVALID);
        assertThat(CellParser.parse(ColumnType.TIMESTAMP, 1.5)).isSameAs(CellParser.INVALID);
        assertThat(CellParser.parse(ColumnType.TIMESTAMP, new BigInteger("1" + "0".repeat(30))))
                .isSameAs(CellParser.INVALID);
        assertThat(CellParser.parse(ColumnType.TIMESTAMP, "1704103200000")).isSameAs(CellParser.INVALID);
        assertThat(CellParser.parse(ColumnType.TIMESTAMP, "20240105")).isSameAs(CellParser.INVALID);
    }

    @Test
    void shouldRefuseNumbersWhoseDoubleIsInfinite() {
        assertThat(CellParser.parse(ColumnType.NUMERIC, new BigInteger("1" + "0".repeat(400))))
                .isSameAs(CellParser.INVALID);
        assertThat(CellParser.parse(ColumnType.NUMERIC, "1e400")).isSameAs(CellParser.INVALID);
        assertThat(CellParser.parse(ColumnType.NUMERIC, Double.POSITIVE_INFINITY))
                .isSameAs(CellParser.INVALID);
        // what a JSON 1e400 reads as: the reason says the number is too large, not that 'Infinity' is no number
        ColumnSchema mass = new ColumnSchema("mass", ColumnType.NUMERIC, null, null, null, null);
        assertThat(CellParser.reason(mass, CellCheck.TYPE, Double.NEGATIVE_INFINITY))
                .isEqualTo("a number too large to hold: numbers are at most ±" + Double.MAX_VALUE);
        assertThat(CellParser.reason(mass, CellCheck.TYPE, "1e400")).isEqualTo("'1e400' is not numeric");
    }

    @Test
    void shouldReadACellAgainstItsColumnsDeclaredConstraints() {
        ColumnSchema seats = new ColumnSchema("seats", ColumnType.INTEGER, false, 0.0, 10.5, List.of("1", "2", "11"));
        assertThat(CellParser.read(seats, "2")).isEqualTo(2L);
        assertThat(CellParser.read(seats, null)).isEqualTo(CellCheck.NOT_NULL);
        assertThat(CellParser.read(seats, " NA ")).isEqualTo(CellCheck.NOT_NULL);
        assertThat(CellParser.read(seats, "2.5")).isEqualTo(CellCheck.TYPE);
        assertThat(CellParser.read(seats, 11)).isEqualTo(CellCheck.RANGE);
        assertThat(CellParser.read(seats, 3)).isEqualTo(CellCheck.ALLOWED_VALUES);
        ColumnSchema open = new ColumnSchema("note", ColumnType.TEXT, null, null, null, null);
        assertThat(CellParser.read(open, "NA")).isNull();
        assertThat(CellParser.read(open, "")).isNull();

        assertThat(CellParser.reason(seats, CellCheck.NOT_NULL, null)).isEqualTo("missing value");
        assertThat(CellParser.reason(seats, CellCheck.TYPE, "2.5")).isEqualTo("'2.5' is not integer");
        assertThat(CellParser.reason(seats, CellCheck.RANGE, 11)).isEqualTo("11 is outside [0, 10.50]");
        assertThat(CellParser.reason(seats, CellCheck.ALLOWED_VALUES, 3)).isEqualTo("'3' is not allowed");
        assertThat(CellParser.reason(open, CellCheck.TYPE, Map.of("a", List.of(1, "b"))))
                .isEqualTo("'{\"a\":[1,\"b\"]}' is not text");
    }
}
