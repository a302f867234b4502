package io.tenantml.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TargetEncodingFeedbackTest {

    @Test
    void shouldReadFeedbackAsClassNamesOrTheTargetsOwnValuesAndNothingElse() {
        TargetEncoding bool = TargetEncoding.fit(Objective.BINARY, "churned", null, List.of());
        assertThat(bool.feedbackLabel("true", null)).isEqualTo(1f);
        assertThat(bool.feedbackLabel("FALSE", null)).isEqualTo(0f);
        assertThat(bool.feedbackLabel("perhaps", null)).isNull();
        assertThat(bool.feedbackLabel(null, 1.0)).isNull();

        TargetEncoding equals = TargetEncoding.fit(Objective.BINARY, "plan", new PositiveClass(null, "pro"), List.of());
        assertThat(equals.feedbackLabel("pro", null)).isEqualTo(1f);
        assertThat(equals.feedbackLabel("not pro", null)).isEqualTo(0f);
        assertThat(equals.feedbackLabel("basic", null)).isEqualTo(0f);

        TargetEncoding above = TargetEncoding.fit(Objective.BINARY, "delay", new PositiveClass(15.0, null), List.of());
        assertThat(above.feedbackLabel(null, 20.0)).isEqualTo(1f);
        assertThat(above.feedbackLabel("3", null)).isEqualTo(0f);
        assertThat(above.feedbackLabel("> 15", null)).isEqualTo(1f);
        assertThat(above.feedbackLabel("late", null)).isNull();

        TargetEncoding multi = TargetEncoding.fit(Objective.MULTICLASS, "species", null, List.of("a", "b", "c"));
        assertThat(multi.feedbackLabel("c", null)).isEqualTo(2f);
        assertThat(multi.feedbackLabel("d", null)).isNull();

        TargetEncoding regression = TargetEncoding.fit(Objective.REGRESSION, "total", null, List.of());
        assertThat(regression.feedbackLabel(null, 2.5)).isEqualTo(2.5f);
        assertThat(regression.feedbackLabel("2.5", null)).isEqualTo(2.5f);
        assertThat(regression.feedbackLabel("many", null)).isNull();
    }

    /** What a client whose label was unusable is told the model takes, per kind of target. */
    @Test
    void shouldSayWhatFeedbackEachKindOfTargetTakes() {
        assertThat(TargetEncoding.fit(Objective.BINARY, "churned", null, List.of())
                        .feedbackTakes())
                .isEqualTo("a label naming one of its classes (false, true), or true/false");
        assertThat(TargetEncoding.fit(Objective.BINARY, "delay", new PositiveClass(15.0, null), List.of())
                        .feedbackTakes())
                .endsWith(", or a number, as value or label (above 15.0 is positive)");
        assertThat(TargetEncoding.fit(Objective.BINARY, "plan", new PositiveClass(null, "pro"), List.of())
                        .feedbackTakes())
                .isEqualTo("a label ('pro' is the positive class, any other the negative)");
        assertThat(TargetEncoding.fit(Objective.MULTICLASS, "species", null, List.of("a", "b", "c"))
                        .feedbackTakes())
                .isEqualTo("a label naming one of its classes (a, b, c)");
        assertThat(TargetEncoding.fit(Objective.REGRESSION, "total", null, List.of())
                        .feedbackTakes())
                .isEqualTo("a number, as value or as a numeric label");
    }
}
