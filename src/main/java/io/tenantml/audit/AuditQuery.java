package io.tenantml.audit;

import io.tenantml.shared.Problem;
import io.tenantml.shared.ProblemException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Reads the filters of an audit list from their query parameters (400 naming the parameter). */
public final class AuditQuery {

    private AuditQuery() {}

    public static Audit.Filter parse(String action, String from, String to) {
        if (action != null && (action.isBlank() || action.length() > 200)) {
            throw invalid("action", "action must be 1 to 200 characters");
        }
        Instant start = from == null ? null : instant("from", from);
        Instant end = to == null ? null : instant("to", to);
        if (start != null && end != null && !start.isBefore(end)) {
            throw invalid("to", "to must be after from");
        }
        return new Audit.Filter(action, start, end);
    }

    private static Instant instant(String parameter, String value) {
        try {
            if (value.length() == 10) {
                return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw invalid(
                    parameter, parameter + " must be an ISO-8601 instant or a date (YYYY-MM-DD), was '" + value + "'");
        }
    }

    private static ProblemException invalid(String parameter, String detail) {
        return new ProblemException(
                Problem.of(400, "invalid-audit-query", "Bad request", detail).with("parameter", parameter));
    }
}
