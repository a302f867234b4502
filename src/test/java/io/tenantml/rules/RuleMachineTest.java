package io.tenantml.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantml.rules.RuleMachine.State;
import io.tenantml.rules.RuleMachine.Step;
import io.tenantml.rules.RuleMachine.Transition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleMachineTest {

    private static final Instant T0 = Instant.parse("2026-11-30T00:00:00Z");

    /** Feeds one signal per hour; returns each step. */
    private static List<Step> run(State start, int windows, Duration cooldown, Boolean... signals) {
        List<Step> steps = new ArrayList<>();
        State s = start;
        for (int i = 0; i < signals.length; i++) {
            Step step = RuleMachine.step(s, signals[i], windows, cooldown, T0.plus(Duration.ofHours(i)));
            steps.add(step);
            s = step.next();
        }
        return steps;
    }

    private static List<Transition> transitions(List<Step> steps) {
        return steps.stream().map(Step::transition).toList();
    }

    @Test
    void shouldFireOnceAndActOnceWhileTheSignalStaysAndRecoverWhenItClears() {
        List<Step> steps = run(State.CLEAR, 1, Duration.ofHours(24), true, true, true, false);
        assertThat(transitions(steps))
                .containsExactly(Transition.FIRED, Transition.NONE, Transition.NONE, Transition.RECOVERED);
        assertThat(steps.stream().filter(Step::act).count()).isEqualTo(1);
        assertThat(steps.get(3).actedThisEpisode()).isTrue();
        assertThat(steps.get(1).next().firingSince()).isEqualTo(T0);
    }

    @Test
    void shouldRaiseOneEpisodeForASignalFlappingAroundItsThreshold() {
        // two windows in a row to fire, and two clear windows in a row to recover: a signal that flaps every
        // other window after firing never clears, so the episode (and its one action) lasts
        List<Step> steps =
                run(State.CLEAR, 2, Duration.ZERO, true, false, true, true, false, true, false, true, false, false);
        assertThat(transitions(steps).stream().filter(t -> t == Transition.FIRED))
                .hasSize(1);
        assertThat(steps.get(3).transition()).isEqualTo(Transition.FIRED);
        assertThat(steps.get(9).transition()).isEqualTo(Transition.RECOVERED);
        assertThat(steps.stream().filter(Step::act).count()).isEqualTo(1);
    }

    @Test
    void shouldNotActAgainWithinTheCooldownWhenANewEpisodeStarts() {
        // fires at hour 0, clears at 1, fires again at 2 (within 24 h: no action), again at 26 h (acts)
        List<Step> first = run(State.CLEAR, 1, Duration.ofHours(24), true, false, true, false);
        assertThat(transitions(first))
                .containsExactly(Transition.FIRED, Transition.RECOVERED, Transition.FIRED, Transition.RECOVERED);
        assertThat(first.get(0).act()).isTrue();
        assertThat(first.get(2).act()).isFalse();
        assertThat(first.get(3).actedThisEpisode())
                .as("the suppressed episode sent nothing to recover from")
                .isFalse();
        Step later =
                RuleMachine.step(first.get(3).next(), true, 1, Duration.ofHours(24), T0.plus(Duration.ofHours(24)));
        assertThat(later.transition()).isEqualTo(Transition.FIRED);
        assertThat(later.act()).isTrue();
    }

    @Test
    void shouldChangeNothingOnAWindowThatCannotSay() {
        State firing = new State(true, 1, T0, T0);
        Step step = RuleMachine.step(firing, null, 2, Duration.ZERO, T0.plusSeconds(60));
        assertThat(step.next()).isEqualTo(firing);
        assertThat(step.transition()).isEqualTo(Transition.NONE);
        assertThatThrownBy(() -> RuleMachine.step(State.CLEAR, true, 0, Duration.ZERO, T0))
                .hasMessageContaining("consecutiveWindows");
    }

    @Test
    void shouldSuppressRatherThanFailWhenTheCooldownEndsPastTheLastInstantJavaHolds() {
        // a rule stored before cooldowns were capped at a year: last action + cooldown overflows an Instant
        Duration endless = Duration.ofSeconds(Long.MAX_VALUE);
        List<Step> steps = run(State.CLEAR, 1, endless, true, false, true);
        assertThat(transitions(steps)).containsExactly(Transition.FIRED, Transition.RECOVERED, Transition.FIRED);
        assertThat(steps.get(0).act()).isTrue();
        assertThat(steps.get(2).act()).isFalse();
    }
}
