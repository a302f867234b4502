package io.tenantml.rules;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One rule's state machine with hysteresis, as a pure function of (state, this window's signal, now). Clear:
 * {@code consecutiveWindows} windows in a row with the signal present fire the rule (an episode starts), and
 * the rule acts unless its last action is less than {@code cooldown} ago. Firing: the rule stays firing
 * (acting no more) until the signal has been absent for {@code consecutiveWindows} windows in a row; then it
 * recovers. A window that cannot say (not enough data) changes nothing. So a signal flapping around its
 * threshold gives one episode, and one action, not one per window.
 */
public final class RuleMachine {

    private RuleMachine() {}

    /**
     * @param firing whether an episode is open
     * @param streak windows in a row counted towards the next change
     * @param firingSince when the open episode started
     * @param lastActionAt when the rule last acted (alert sent, retrain decided)
     */
    public record State(boolean firing, int streak, Instant firingSince, Instant lastActionAt) {
        public static final State CLEAR = new State(false, 0, null, null);
    }

    public enum Transition {
        NONE,
        FIRED,
        RECOVERED
    }

    /**
     * @param act whether the rule acts now (only on {@link Transition#FIRED}, outside the cooldown)
     * @param actedThisEpisode on {@link Transition#RECOVERED}: whether the episode that ended had acted
     */
    public record Step(State next, Transition transition, boolean act, boolean actedThisEpisode) {}

    public static Step step(State s, Boolean signal, int consecutiveWindows, Duration cooldown, Instant now) {
        Objects.requireNonNull(s, "state");
        Objects.requireNonNull(now, "now");
        if (consecutiveWindows < 1) {
            throw new IllegalArgumentException("consecutiveWindows must be at least 1, was " + consecutiveWindows);
        }
        if (signal == null) {
            return new Step(s, Transition.NONE, false, false);
        }
        if (!s.firing()) {
            int streak = signal ? s.streak() + 1 : 0;
            if (streak < consecutiveWindows) {
                return new Step(new State(false, streak, null, s.lastActionAt()), Transition.NONE, false, false);
            }
            // compared as a duration: lastActionAt + cooldown may lie past the last instant Java can hold
            boolean act = s.lastActionAt() == null
                    || Duration.between(s.lastActionAt(), now).compareTo(cooldown) >= 0;
            return new Step(new State(true, 0, now, act ? now : s.lastActionAt()), Transition.FIRED, act, false);
        }
        int streak = signal ? 0 : s.streak() + 1;
        if (streak < consecutiveWindows) {
            return new Step(new State(true, streak, s.firingSince(), s.lastActionAt()), Transition.NONE, false, false);
        }
        boolean acted = s.lastActionAt() != null && !s.lastActionAt().isBefore(s.firingSince());
        return new Step(new State(false, 0, null, s.lastActionAt()), Transition.RECOVERED, false, acted);
    }
}
