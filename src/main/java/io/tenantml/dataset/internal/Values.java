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
            new DateTimeFormatterBuilder().appendPattern("uuuu-MM-dd['T'][' ']HH:mm[:ss]")
                    .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
                    .toFormatter(Locale.ROOT),
            DateTimeFormatter.ofPattern("uuuu/MM/dd HH:mm[:ss]", Locale.ROOT));
    private static final List<DateTimeFormatter> LOCAL_DATES = List.of(
            DateTimeFormatter.ISO_LOCAL_DATE,
            DateTimeFormatter.ofPattern("uuuu/MM/dd", Locale.ROOT),
            new DateTimeFormatterBuilder().parseCaseInsensitive().appendPattern("MMM d uuuu").toFormatter(Locale.ENGLISH));

    private Values() {
    }

    static boolean isMissing(Object raw) {
        return raw == null || (raw instanceof String s && (s.isEmpty() || NULL_TOKENS.contains(s.strip())));
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
        if (raw instanceof String s && looksNumeric(s)) {
            try {
                double d = Double.parseDouble(s.strip());
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

    static Object timestamp(Object raw) {
        if (!(raw instanceof String s)) {
            return INVALID;
        }
        String v = s.strip();
        if (v.length() < 8 || v.length() > 40) {
            return INVALID;
        }
        char first = v.charAt(0);
        if (Character.isDigit(first)) {
            if (v.length() > 10) {
                try {
                    return OffsetDateTime.parse(v).toInstant();
                } catch (DateTimeParseException ignored) {
                    // not with an offset: try local forms, read as UTC
                }
                try {
                    return Instant.parse(v);
                } catch (DateTimeParseException ignored) {
                    // fall through
                }
                for (DateTimeFormatter f : LOCAL_DATE_TIMES) {
                    try {
                        return LocalDateTime.parse(v, f).toInstant(ZoneOffset.UTC);
                    } catch (DateTimeParseException ignored) {
                        // next
                    }
                }
                return INVALID;
            }
        } else if (!Character.isLetter(first)) {
            return INVALID;
        }
        for (DateTimeFormatter f : LOCAL_DATES) {
            try {
                return LocalDate.parse(v, f).atStartOfDay().toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException ignored) {
                // next
            }
        }
        return INVALID;
    }

    static boolean looksNumeric(String s) {
        if (s.isEmpty()) {
            return false;
        }
        char c = s.charAt(0);
        return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == ' ';
    }

    /** The text a raw value had in the upload, for examples and the quarantine. */
    static String display(Object raw) {
        if (raw == null) {
            return null;
        }
        String s = raw instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15
                ? Long.toString(d.longValue()) : String.valueOf(raw);
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }
}
