package io.tenantml.dataset;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.NumberInput;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The one reading of a cell: what a raw value means in a column of a {@link ColumnType}. Ingestion types
 * every uploaded cell with it, and the feature transform reads every online record with it, so training and
 * serving cannot disagree on a value (checked by {@code TrainingServingParityTest}).
 * <p>
 * A raw value is what a upload or a request carries: a CSV cell (a {@link String}) or a JSON scalar
 * ({@link String}, a {@link Number} as Jackson reads it, {@link Boolean}, or null). Anything else (a JSON
 * object or array) is never a valid cell. The rules:
 * <ul>
 *   <li><b>missing</b>: null, and the strings {@code "" NA N/A null NULL NaN nan} (surrounding white space
 *       ignored), the "no value" of R, pandas and spreadsheet exports. A missing value is {@code null} in a
 *       row and NaN as a feature; in a column declared {@code nullable: false} it is refused
 *       ({@link CellCheck#NOT_NULL}).
 *   <li><b>numeric</b> ({@link Double}): any finite JSON number; a string holding a decimal number, with an
 *       optional sign and exponent ({@code -12.5}, {@code 1e-3}, {@code .5}), surrounding white space
 *       ignored. Not: {@code Infinity}, hexadecimal, thousands separators, decimal commas.
 *   <li><b>integer</b> ({@link Long}): a JSON integer that fits in a long, or any numeric value (number or
 *       string) that is a whole number of magnitude below 9e15 ({@code 3.0} is 3; {@code 3.5} is refused).
 *   <li><b>boolean</b>: JSON true/false; the JSON numbers 0 and 1; the strings {@code true t yes y 1} and
 *       {@code false f no n 0} in any case, surrounding white space ignored.
 *   <li><b>categorical, text</b> ({@link String}): a string as it is, white space included; a JSON number
 *       or boolean as its canonical text: a whole number of magnitude below 1e15 without a fraction
 *       ({@code 1.0} is "1", {@code 1e3} is "1000"), other numbers as Java prints them ({@code 1.5},
 *       {@code 1.0E20}), booleans {@code true}/{@code false}. A string with an unpaired surrogate is refused
 *       (it is no text, and could not be stored as UTF-8 unchanged). A string such as {@code "1.0"} stays
 *       "1.0": only JSON numbers are canonicalised, so a category that came from a CSV as "1.0" is not the
 *       JSON number 1.0.
 *   <li><b>timestamp</b> ({@link Instant}), surrounding white space ignored: ISO-8601 instants and date-times
 *       with an offset ({@code 2024-01-05T10:00:00+02:00}, {@code Z}), local date-times read as UTC with
 *       {@code T} or a space and optional seconds and fraction ({@code 2024-01-05 10:00}), dates
 *       ({@code 2024-01-05}, midnight UTC), {@code yyyy/MM/dd[ HH:mm[:ss]]}, and {@code MMM d yyyy} in
 *       English ({@code Jan 5 2024}); a JSON integer (or integral JSON number) is epoch milliseconds, from
 *       year 0000 to 9999. A string of digits is never an epoch: {@code "20240105"} could as well be a
 *       date, and a misread timestamp would be silently wrong, so epochs must come as JSON numbers.
 * </ul>
 * Declared constraints come after the type ({@link #read}): {@code min}/{@code max} for numbers
 * ({@link CellCheck#RANGE}), {@code allowedValues} against the typed value's text
 * ({@link CellCheck#ALLOWED_VALUES}).
 * <p>
 * Speed: ingestion calls this for every cell of uploads of millions of rows, so failures return
 * {@link #INVALID} instead of throwing, plain decimals and fixed-width timestamps take hand-written fast paths
 * that give the same results as the general parsers, and null tokens are told apart by their first character.
 */
public final class CellParser {

    /** What {@link #parse} answers for a value that is not of the type; never stored. */
    public static final Object INVALID = new Object() {
        @Override
        public String toString() {
            return "<invalid>";
        }
    };

    /** Writes the JSON objects and arrays of requests back as JSON, as an upload's are shown. */
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Set<String> NULL_TOKENS = Set.of("", "NA", "N/A", "null", "NULL", "NaN", "nan");

    private static final DateTimeFormatter ISO_LOCAL = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd['T'][' ']HH:mm[:ss]")
            .optionalStart()
            .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
            .optionalEnd()
            .toFormatter(Locale.ROOT);
    private static final DateTimeFormatter SLASH_LOCAL =
            DateTimeFormatter.ofPattern("uuuu/MM/dd HH:mm[:ss]", Locale.ROOT);
    private static final DateTimeFormatter SLASH_DATE = DateTimeFormatter.ofPattern("uuuu/MM/dd", Locale.ROOT);
    private static final DateTimeFormatter MONTH_DAY_YEAR = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .appendPattern("MMM d uuuu")
            .toFormatter(Locale.ENGLISH);

    /** Epoch milliseconds of 0000-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z: the years the texts can have. */
    static final long MIN_EPOCH_MILLI = -62_167_219_200_000L;

    static final long MAX_EPOCH_MILLI = 253_402_300_799_999L;

    private CellParser() {}

    /**
     * Reads one raw cell of {@code column}: its typed value (see {@link ColumnType}), null when it is missing
     * and may be, or the {@link CellCheck} it fails. Callers test {@code result instanceof CellCheck}.
     */
    public static Object read(ColumnSchema column, Object raw) {
        if (isMissing(raw)) {
            return column.isNullable() ? null : CellCheck.NOT_NULL;
        }
        Object typed = parse(column.type(), raw);
        if (typed == INVALID) {
            return CellCheck.TYPE;
        }
        if (typed instanceof Number n && (column.min() != null || column.max() != null)) {
            double d = n.doubleValue();
            if ((column.min() != null && d < column.min()) || (column.max() != null && d > column.max())) {
                return CellCheck.RANGE;
            }
        }
        if (column.allowedValues() != null && !column.allowedValues().contains(String.valueOf(typed))) {
            return CellCheck.ALLOWED_VALUES;
        }
        return typed;
    }

    /** Why {@code raw} failed {@code check} in {@code column}, as the quarantine and the 400 problem say it. */
    public static String reason(ColumnSchema column, CellCheck check, Object raw) {
        return switch (check) {
            case NOT_NULL -> "missing value";
            case TYPE ->
                raw instanceof Double d && d.isInfinite()
                        // a JSON number beyond a double's range (1e400) reads as Infinity: say so, not "'Infinity'"
                        ? "a number too large to hold: numbers are at most ±" + Double.MAX_VALUE
                        : "'" + display(raw) + "' is not " + column.type().wireName();
            case RANGE -> display(raw) + " is outside " + bounds(column);
            case ALLOWED_VALUES -> "'" + display(raw) + "' is not allowed";
        };
    }

    /** The declared range of a numeric column, {@code [min, max]} with ∞ for an open end. */
    public static String bounds(ColumnSchema column) {
        return "[" + bound(column.min()) + ", " + bound(column.max()) + "]";
    }

    private static String bound(Double d) {
        if (d == null) {
            return "∞";
        }
        return d == Math.rint(d) && Math.abs(d) < 1e15
                ? Long.toString(d.longValue())
                : String.format(Locale.ROOT, "%.4g", d);
    }

    /** Whether the raw value means "no value": null or a null token. */
    public static boolean isMissing(Object raw) {
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

    /**
     * The typed value of a present raw value (see {@link #isMissing}), or {@link #INVALID}. Declared
     * constraints are not checked: see {@link #read}.
     */
    public static Object parse(ColumnType type, Object raw) {
        return switch (type) {
            case NUMERIC -> numeric(raw);
            case INTEGER -> integer(raw);
            case BOOLEAN -> bool(raw);
            case CATEGORICAL, TEXT -> text(raw);
            case TIMESTAMP -> timestamp(raw);
        };
    }

    private static Object numeric(Object raw) {
        if (raw instanceof Double d) {
            return inFeatureRange(d);
        }
        if (raw instanceof Number n) {
            // A JSON integer of hundreds of digits is a BigInteger whose double is infinite.
            return inFeatureRange(n.doubleValue());
        }
        if (raw instanceof String s) {
            // The fast path accepts a subset of what the general path accepts, so it goes first.
            double fast = fastDecimal(s);
            if (!Double.isNaN(fast)) {
                return inFeatureRange(fast);
            }
            String v = s.strip();
            if (!looksNumeric(v)) {
                return INVALID;
            }
            try {
                // Jackson's bundled FastDoubleParser: correctly rounded like Double.parseDouble, several
                // times faster on long fractions such as 14.516666666666667.
                return inFeatureRange(NumberInput.parseDouble(v, true));
            } catch (NumberFormatException e) {
                return INVALID;
            }
        }
        return INVALID;
    }

    /**
     * A number models can take: features are 32-bit floats (XGBoost's), so a finite double beyond the float range
     * (1e39, say) would become infinite there, and XGBoost refuses infinite input. Refused here, where ingestion
     * and serving both read, rather than failing a training or a prediction.
     */
    private static Object inFeatureRange(double d) {
        return Double.isFinite(d) && Math.abs(d) <= Float.MAX_VALUE ? d : INVALID;
    }

    private static Object integer(Object raw) {
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

    private static Object bool(Object raw) {
        if (raw instanceof Boolean b) {
            return b;
        }
        if (raw instanceof String s) {
            return switch (s.strip().toLowerCase(Locale.ROOT)) {
                case "true", "t", "yes", "y", "1" -> Boolean.TRUE;
                case "false", "f", "no", "n", "0" -> Boolean.FALSE;
                default -> INVALID;
            };
        }
        if (raw instanceof Number n && (n.doubleValue() == 0 || n.doubleValue() == 1)) {
            return n.doubleValue() == 1;
        }
        return INVALID;
    }

    private static Object text(Object raw) {
        if (raw instanceof String s) {
            return wellFormed(s) ? s : INVALID;
        }
        if (raw instanceof Double d) {
            if (!Double.isFinite(d)) {
                return INVALID;
            }
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString(d.longValue()) : d.toString();
        }
        if (raw instanceof BigDecimal b) {
            return b.toPlainString();
        }
        if (raw instanceof Number || raw instanceof Boolean) {
            return raw.toString();
        }
        return INVALID;
    }

    /** No unpaired UTF-16 surrogate (JSON can carry one as an escape; UTF-8 cannot store it). */
    private static boolean wellFormed(String s) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * A string shape picks the one format to try, so a value costs at most one parse attempt (a failed
     * java.time parse throws, and throwing per cell would dominate ingestion time).
     */
    private static Object timestamp(Object raw) {
        if (raw instanceof Number n) {
            return epochMilli(n);
        }
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

    /** A whole number of milliseconds since the epoch, within the years 0000 to 9999. */
    private static Object epochMilli(Number n) {
        long milli;
        if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte) {
            milli = n.longValue();
        } else if (n instanceof BigInteger b) {
            if (b.bitLength() >= 64) {
                return INVALID;
            }
            milli = b.longValue();
        } else {
            double d = n.doubleValue();
            // Every whole double in range is exact: the range is far below 2^53.
            if (!(d == Math.rint(d)) || d < MIN_EPOCH_MILLI || d > MAX_EPOCH_MILLI) {
                return INVALID;
            }
            milli = (long) d;
        }
        return milli < MIN_EPOCH_MILLI || milli > MAX_EPOCH_MILLI ? INVALID : Instant.ofEpochMilli(milli);
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
        } catch (DateTimeException e) {
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

    /** Only characters a decimal number can have: avoids a NumberFormatException (slow) for most text. */
    private static boolean looksNumeric(String s) {
        int n = s.length();
        if (n == 0 || n > 40) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E')) {
                return false;
            }
        }
        return true;
    }

    /** The text a raw value had in the upload or request, for examples, the quarantine and problems. */
    public static String display(Object raw) {
        if (raw == null) {
            return null;
        }
        String s = raw instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15
                ? Long.toString(d.longValue())
                : raw instanceof Map<?, ?> || raw instanceof Collection<?> ? json(raw) : String.valueOf(raw);
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }

    private static String json(Object nested) {
        try {
            return JSON.writeValueAsString(nested);
        } catch (JsonProcessingException e) {
            return String.valueOf(nested);
        }
    }
}
