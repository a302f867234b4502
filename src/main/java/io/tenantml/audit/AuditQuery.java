package io.tenantml.audit;

import io.tenantml.shared.ProblemException;
import io.tenantml.shared.TimeParameters;
import java.time.Instant;

/** Reads the filters of an audit list from their query parameters (400 naming the parameter). */
public final class AuditQuery {

    private AuditQuery() {}

    public static Audit.Filter parse(String action, String actor, String from, String to) {
        if (action != null && (action.isBlank() || action.length() > 200)) {
            throw invalid("action", "action must be 1 to 200 characters");
        }
        if (actor != null && (actor.isBlank() || actor.length() > 200)) {
            throw invalid("actor", "actor must be 1 to 200 characters: an entry's actor.subject");
        }
        Instant start = from == null ? null : instant("from", from);
        Instant end = to == null ? null : instant("to", to);
        if (start != null && end != null && !start.isBefore(end)) {
            throw invalid("to", "to must be after from");
        }
        return new Audit.Filter(action, actor, start, end);
    }

    private static Instant instant(String parameter, String value) {
        return TimeParameters.instantOrDate("invalid-audit-query", parameter, value);
    }

    private static ProblemException invalid(String parameter, String detail) {
        return ProblemException.badParameter("invalid-audit-query", parameter, detail);
    }
}
