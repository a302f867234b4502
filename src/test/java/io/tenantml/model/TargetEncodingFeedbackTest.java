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
}
