package io.tenantml.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RuleKeysTest {

    private static List<Rule> valid(Rule... rules) {
        return MonitoringRules.validate(new RulesRequest(List.of(rules)));
    }

    private static Rule drift(String name, double threshold, String action) {
        return new Rule(
                name,
                "datasetDrift",
                threshold,
                null,
                null,
                action,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
    }

    @Test
    void shouldKeyANamedRuleByItsNameAndAnUnnamedOneByItsContentWithDefaultsFilledIn() {
        Rule terse = valid(new Rule("volumeZero", null, null, null, "alert", null, null))
                .get(0);
        Rule spelledOut = valid(new Rule("volumeZero", null, null, null, "alert", 1, "PT24H"))
                .get(0);
        assertThat(RuleKeys.key(terse)).startsWith("sha256:").hasSize(7 + 16).isEqualTo(RuleKeys.key(spelledOut));
        Rule longer = valid(new Rule("volumeZero", null, null, null, "alert", 1, "PT48H"))
                .get(0);
        assertThat(RuleKeys.key(longer)).isNotEqualTo(RuleKeys.key(terse));
        assertThat(RuleKeys.key(terse.withName("silence"))).isEqualTo("silence");
        assertThat(RuleKeys.nameOf("silence")).contains("silence");
        assertThat(RuleKeys.nameOf(RuleKeys.key(terse))).isEmpty();
        assertThat(RuleKeys.nameOf("#3")).as("a key from before keys existed").isEmpty();
    }

    @Test
    void shouldContinueRulesByKeyWhateverTheirOrderAndSayWhenTheSignalChanged() {
        List<Rule> before = valid(drift(null, 0.5, "alert"), drift("retrain", 0.5, "retrain"));
        List<Rule> after = valid(
                new Rule("volumeZero", null, null, null, "alert", null, null),
                drift("retrain", 0.3, "retrain"),
                drift(null, 0.5, "alert"));
        List<Optional<RuleKeys.Continued>> matched = RuleKeys.match(before, after);
        assertThat(matched.get(0)).isEmpty();
        assertThat(matched.get(1)).contains(new RuleKeys.Continued(1, true));
        assertThat(matched.get(2)).contains(new RuleKeys.Continued(0, false));
    }

    @Test
    void shouldContinueARuleThatOnlyGotANameAndNotOneWhoseUnnamedContentChanged() {
        List<Rule> before = valid(drift(null, 0.5, "alert"), drift(null, 0.4, "retrain"));
        List<Rule> after = valid(drift("drift", 0.5, "alert"), drift(null, 0.3, "retrain"));
        List<Optional<RuleKeys.Continued>> matched = RuleKeys.match(before, after);
        assertThat(matched.get(0)).contains(new RuleKeys.Continued(0, false));
        assertThat(matched.get(1)).isEmpty();
    }

    @Test
    void shouldKeepTheEpisodeWhenOnlyWhatTheRuleDoesChanged() {
        Rule alert = valid(drift("d", 0.5, "alert")).get(0);
        Rule retrain = valid(drift("d", 0.5, "retrain")).get(0);
        assertThat(RuleKeys.sameSignal(alert, retrain)).isTrue();
        assertThat(RuleKeys.sameSignal(alert, valid(drift("d", 0.6, "alert")).get(0)))
                .isFalse();
    }
}
