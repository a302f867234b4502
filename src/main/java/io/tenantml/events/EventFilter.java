package io.tenantml.events;

import io.tenantml.shared.ProblemException;
import io.tenantml.shared.TimeParameters;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which events of the feed a client asked for; an empty {@code types} and null bounds do not filter.
 *
 * @param from inclusive
 * @param to   exclusive
 */
public record EventFilter(Set<EventType> types, Instant from, Instant to) {

    public static final EventFilter ALL = new EventFilter(Set.of(), null, null);

    public EventFilter {
        types = types == null || types.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(types));
        if (from != null && to != null && !from.isBefore(to)) {
            throw invalid("to", "to must be after from");
        }
    }

    /**
     * From query parameters as they came: {@code type} repeated and/or comma-separated wire names, {@code from} and
     * {@code to} as ISO instants or UTC dates. 400 {@code invalid-event-query} naming the parameter otherwise.
     */
    public static EventFilter parse(List<String> type, String from, String to) {
        Set<EventType> types = EnumSet.noneOf(EventType.class);
        for (String value : type == null ? List.<String>of() : type) {
            for (String wire : value.split(",", -1)) {
                String name = wire.strip();
                types.add(EventType.ofWire(name)
                        .orElseThrow(() -> invalid(
                                "type",
                                "type '" + name + "' is not an event type; known: "
                                        + Arrays.stream(EventType.values())
                                                .map(EventType::wireName)
                                                .collect(Collectors.joining(", ")))));
            }
        }
        return new EventFilter(types, instant("from", from), instant("to", to));
    }

    private static Instant instant(String parameter, String value) {
        return value == null ? null : TimeParameters.instantOrDate("invalid-event-query", parameter, value);
    }

    private static ProblemException invalid(String parameter, String detail) {
        return ProblemException.badParameter("invalid-event-query", parameter, detail);
    }
}
