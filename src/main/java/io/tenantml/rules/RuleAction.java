package io.tenantml.rules;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What a rule does when it fires. */
public enum RuleAction {
    /** Publishes the signal's monitoring.* event (and monitoring.recovered when the episode ends). */
    ALERT,
    /** Starts one training of the model on its latest dataset version, through the normal gate. */
    RETRAIN;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<RuleAction> ofWire(String wire) {
        return Arrays.stream(values()).filter(a -> a.wireName().equals(wire)).findFirst();
    }
}
