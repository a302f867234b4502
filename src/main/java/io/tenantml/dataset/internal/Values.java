package io.tenantml.dataset.internal;

import io.tenantml.dataset.ColumnType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Turns raw cells (CSV strings, JSON scalars) into the Java type of a {@link ColumnType}. Failures return
 * {@link #INVALID} rather than throwing: a dirty upload can have a million of them.
 */
final class Values {

    static final Object INVALID = new Object() {
        @Override
        public String toString() {
            return "<invalid>";
        }
    };

    /** Cells that mean "no value" in CSV exports of R, pandas and spreadsheets. */
    private static final Set<String> NULL_TOKENS = Set.of("", "NA", "N/A", "null", "NULL", "NaN", "nan");

    private static final List<DateTimeFormatter> LOCAL_DATE_TIMES = List.of(
            new DateTimeFormatterBuilder()
                    .appendPattern("uuuu-MM-dd['T'][' ']HH:mm[:ss]")
                    .optionalStart()
                    .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
                    .optionalEnd()
                    .toFormatter(Locale.ROOT),
            DateTimeFormatter.ofPattern("uuuu/MM/dd HH:mm[:ss]", Locale.ROOT));
    private static final List<DateTimeFormatter> LOCAL_DATES = List.of(
            DateTimeFormatter.ISO_LOCAL_DATE,
            DateTimeFormatter.ofPattern("uuuu/MM/dd", Locale.ROOT),
            new DateTimeFormatterBuilder()
                    .parseCaseInsensitive()
                    .appendPattern("MMM d uuuu")
                    .toFormatter(Locale.ENGLISH));

    private Values() {}

    static boolean isMissing(Object raw) {
        if (raw == null) {
            return true;
        }
        if (!(raw instanceof String s)) {
            return false;
        }
        int n = s.length();
        if (n == 0) {
            return true;
        }
        // Every null token but "" starts with N or n and is at most 4 characters: most cells are decided by
        // their first and last character, without hashing them.
        char first = s.charAt(0);
        boolean padded = Character.isWhitespace(first) || Character.isWhitespace(s.charAt(n - 1));
        if (!padded && (n > 4 || (first != 'N' && first != 'n'))) {
            return false;
        }
        return NULL_TOKENS.contains(s.strip());
    }

    static Object parse(ColumnType type, Object raw) {
        return switch (type) {
            case NUMERIC -> numeric(raw);
            case INTEGER -> integer(raw);
            case BOOLEAN -> bool(raw);
            case CATEGORICAL, TEXT -> text(raw);
            case TIMESTAMP -> timestamp(raw);
        };
    }

    static Object numeric(Object raw) {
        if (raw instanceof Double d) {
            return Double.isFinite(d) ? d : INVALID;
        }
        if (raw instanceof Number n) {
            return n.doubleValue();
        }
        if (raw instanceof String s) {
            // The fast path accepts a subset of what looksNumeric lets through, so it goes first.
            double fast = fastDecimal(s);
            if (!Double.isNaN(fast)) {
                return fast;
            }
            if (!looksNumeric(s)) {
                return INVALID;
            }
            try {
                // Jackson's bundled FastDoubleParser: correctly rounded like Double.parseDouble, several
                // times faster on long fractions such as 14.516666666666667.
                double d = com.fasterxml.jackson.core.io.NumberInput.parseDouble(s.strip(), true);
                return Double.isFinite(d) ? d : INVALID;
            } catch (NumberFormatException e) {
                return INVALID;
            }
        }
        return INVALID;
    }

    static Object integer(Object raw) {
        if (raw instanceof Long l) {
            return l;
        }
        if (raw instanceof Integer i) {
            return i.longValue();
        }
        if (raw instanceof BigInteger b) {
            return b.bitLength() < 64 ? b.longValue() : INVALID;
        }
        Object d = numeric(raw);
        if (d instanceof Double v && v == Math.rint(v) && Math.abs(v) < 9.0e15) {
            return v.longValue();
        }
        return INVALID;
    }

    static Object bool(Object raw) {
        if (raw instanceof Boolean b) {
            return b;
        }
        if (raw instanceof String s) {
            switch (s.strip().toLowerCase(Locale.ROOT)) {
                case "true", "t", "yes", "y", "1" -> {
                    return Boolean.TRUE;
                }
                case "false", "f", "no", "n", "0" -> {
                    return Boolean.FALSE;
                }
                default -> {
                    return INVALID;
                }
            }
        }
        if (raw instanceof Number n && (n.doubleValue() == 0 || n.doubleValue() == 1)) {
            return n.doubleValue() == 1;
        }
        return INVALID;
    }

    static Object text(Object raw) {
        if (raw instanceof String s) {
            return s;
        }
        if (raw instanceof RecordSource.Nested) {
            return INVALID;
        }
        if (raw instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString(d.longValue());
        }
        if (raw instanceof BigDecimal b) {
            return b.toPlainString();
        }
        return String.valueOf(raw);
    }

    private static final DateTimeFormatter ISO_LOCAL = LOCAL_DATE_TIMES.get(0);
    private static final DateTimeFormatter SLASH_LOCAL = LOCAL_DATE_TIMES.get(1);
    private static final DateTimeFormatter SLASH_DATE = LOCAL_DATES.get(1);
    private static final DateTimeFormatter MONTH_DAY_YEAR = LOCAL_DATES.get(2);

    /**
     * Accepts ISO-8601 (instant, offset, local date-time read as UTC, date), {@code yyyy/MM/dd[ HH:mm[:ss]]}
     * and {@code MMM d yyyy}. The shape picks the one format to try, so a value costs at most one parse
     * attempt (a failed java.time parse throws, and throwing per cell would dominate ingestion time).
     */
    static Object timestamp(Object raw) {
        if (!(raw instanceof String s)) {
            return INVALID;
        }
        String v = s.strip();
        int n = v.length();
        if (n < 8 || n > 40) {
            return INVALID;
        }
        Instant fast = fixedWidth(v);
        if (fast != null) {
            return fast;
        }
        try {
            char first = v.charAt(0);
            if (Character.isLetter(first)) {
                return LocalDate.parse(v, MONTH_DAY_YEAR).atStartOfDay().toInstant(ZoneOffset.UTC);
            }
            if (n < 10 || !Character.isDigit(first)) {
                return INVALID;
            }
            char sep = v.charAt(4);
            if (sep == '-') {
                if (n == 10) {
                    return LocalDate.parse(v, DateTimeFormatter.ISO_LOCAL_DATE)
                            .atStartOfDay()
                            .toInstant(ZoneOffset.UTC);
                }
                char last = v.charAt(n - 1);
                boolean offset = last == 'Z' || last == 'z' || v.indexOf('+', 10) > 0 || v.indexOf('-', 10) > 0;
                return offset
                        ? OffsetDateTime.parse(v.replace(' ', 'T')).toInstant()
                        : LocalDateTime.parse(v, ISO_LOCAL).toInstant(ZoneOffset.UTC);
            }
            if (sep == '/') {
                return n == 10
                        ? LocalDate.parse(v, SLASH_DATE).atStartOfDay().toInstant(ZoneOffset.UTC)
                        : LocalDateTime.parse(v, SLASH_LOCAL).toInstant(ZoneOffset.UTC);
            }
            return INVALID;
        } catch (DateTimeParseException e) {
            return INVALID;
        }
    }

    private static final double[] POWERS_OF_TEN = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
        1e20, 1e21, 1e22
    };

    /**
     * Plain decimals such as {@code -12.375} with at most 15 digits: the mantissa and the power of ten are
     * both exact doubles, so one division is correctly rounded (Clinger's fast path) and equals
     * {@link Double#parseDouble}. NaN for anything else, which then takes the general parser.
     */
    static double fastDecimal(String s) {
        int n = s.length();
        int i = 0;
        boolean negative = false;
        if (n > 0 && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
            negative = s.charAt(0) == '-';
            i = 1;
        }
        long mantissa = 0;
        int digits = 0;
        int fraction = -1;
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                mantissa = mantissa * 10 + (c - '0');
                if (++digits > 15) {
                    return Double.NaN;
                }
                if (fraction >= 0) {
                    fraction++;
                }
            } else if (c == '.' && fraction < 0) {
                fraction = 0;
            } else {
                return Double.NaN;
            }
        }
        if (digits == 0) {
            return Double.NaN;
        }
        double value = fraction > 0 ? mantissa / POWERS_OF_TEN[fraction] : mantissa;
        return negative ? -value : value;
    }

    /** Only characters a decimal number can have: avoids a NumberFormatException (slow) for most text. */
    /**
     * {@code yyyy-MM-dd}, {@code yyyy-MM-dd HH:mm[:ss]} (also with 'T' or '/') by digit arithmetic: the
     * common layouts of large uploads, at a fraction of a formatter's cost. Null when the shape differs;
     * impossible dates (month 13) are left to the formatter, which reports them.
     */
    private static Instant fixedWidth(String v) {
        int n = v.length();
        if (n != 10 && n != 16 && n != 19) {
            return null;
        }
        char sep = v.charAt(4);
        if ((sep != '-' && sep != '/') || v.charAt(7) != sep) {
            return null;
        }
        int year = digits(v, 0, 4);
        int month = digits(v, 5, 2);
        int day = digits(v, 8, 2);
        int hour = 0;
        int minute = 0;
        int second = 0;
        if (n > 10) {
            char t = v.charAt(10);
            if ((t != 'T' && t != ' ') || v.charAt(13) != ':') {
                return null;
            }
            hour = digits(v, 11, 2);
            minute = digits(v, 14, 2);
            if (n == 19) {
                if (v.charAt(16) != ':') {
                    return null;
                }
                second = digits(v, 17, 2);
            }
        }
        if (year < 0
                || month < 1
                || month > 12
                || day < 1
                || day > 31
                || hour < 0
                || hour > 23
                || minute < 0
                || minute > 59
                || second < 0
                || second > 59) {
            return null;
        }
        long days;
        try {
            days = LocalDate.of(year, month, day).toEpochDay();
        } catch (java.time.DateTimeException e) {
            return null;
        }
        return Instant.ofEpochSecond(days * 86_400L + hour * 3600L + minute * 60L + second);
    }

    private static int digits(String s, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    static boolean looksNumeric(String s) {
        int n = s.length();
        if (n == 0 || n > 40) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E' || c == ' ')) {
                return false;
            }
        }
        return true;
    }

    /** The text a raw value had in the upload, for examples and the quarantine. */
    static String display(Object raw) {
        if (raw == null) {
            return null;
        }
        String s = raw instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15
                ? Long.toString(d.longValue())
                : String.valueOf(raw);
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }
}
