package io.tenantml.shared.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantml.shared.Problem;
import org.junit.jupiter.api.Test;

class HttpLayerProblemsTest {

    @Test
    void shouldAcceptWholeEscapesAndPlainUris() {
        assertThat(HttpLayerProblems.invalidUri("/api/v1/tenants/acme/models/a%20b?model=%00&limit=10"))
                .isNull();
        assertThat(HttpLayerProblems.invalidUri("/api/v1/tenants?cursor=abc%2B%3D"))
                .isNull();
        assertThat(HttpLayerProblems.invalidUri("/")).isNull();
    }

    @Test
    void shouldNameTheBrokenEscapeInThePathWithItsPosition() {
        // "/models/" is 8 characters: the '%' is character 8.
        Problem problem = HttpLayerProblems.invalidUri("/models/%zz");
        assertThat(problem.status()).isEqualTo(400);
        assertThat(problem.detail()).startsWith("The path has a broken percent-escape '%zz' at character 8");
        assertThat(problem.extensions()).containsEntry("in", "path").doesNotContainKey("parameter");
        assertThat(HttpLayerProblems.invalidUri("/models/m%").detail()).contains("'%' at character 9");
        assertThat(HttpLayerProblems.invalidUri("/models/%G1").detail()).contains("'%G1'");
        assertThat(HttpLayerProblems.invalidUri("/models/%0").detail()).contains("'%0'");
    }

    @Test
    void shouldNameTheQueryParameterWhoseValueHasTheBrokenEscape() {
        Problem problem = HttpLayerProblems.invalidUri("/trainings?limit=5&model=a%zz&cursor=x");
        assertThat(problem.detail()).startsWith("The query parameter 'model' has a broken percent-escape '%zz'");
        assertThat(problem.extensions()).containsEntry("in", "query").containsEntry("parameter", "model");
        assertThat(HttpLayerProblems.invalidUri("/trainings?model=%").extensions())
                .containsEntry("parameter", "model");
        // In a name, no name is given.
        assertThat(HttpLayerProblems.invalidUri("/trainings?mo%zzdel=1").extensions())
                .containsEntry("in", "query")
                .doesNotContainKey("parameter");
    }

    @Test
    void shouldNameACharacterThatMustBeEscaped() {
        Problem problem = HttpLayerProblems.invalidUri("/models/a|b");
        assertThat(problem.detail()).startsWith("The path has '|' (U+007C) at character 9");
        assertThat(HttpLayerProblems.invalidUri("/models?model=a\"b").extensions())
                .containsEntry("in", "query");
    }
}
