package io.tenantml.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class JsonBodiesTest {

    record Spec(String name, int rounds) {
        Spec {
            if (rounds < 0) {
                throw new Invalid("rounds", "rounds must be 0 or more");
            }
        }
    }

    static class Invalid extends IllegalArgumentException implements JsonBodies.InvalidField {
        private final String field;

        Invalid(String field, String message) {
            super(message);
            this.field = field;
        }

        @Override
        public String field() {
            return field;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ProblemException problem(String field, String detail) {
        return new ProblemException(
                Problem.of(400, "invalid-spec", "Invalid spec", detail).with("field", field));
    }

    private static Problem refused(String body) throws Exception {
        return catchThrowableOfType(
                        ProblemException.class,
                        () -> JsonBodies.read(JSON, JSON.readTree(body), Spec.class, "spec", JsonBodiesTest::problem))
                .problem();
    }

    @Test
    void shouldReadAWellFormedBody() throws Exception {
        assertThat(JsonBodies.read(
                        JSON,
                        JSON.readTree("{\"name\":\"a\",\"rounds\":3}"),
                        Spec.class,
                        "spec",
                        JsonBodiesTest::problem))
                .isEqualTo(new Spec("a", 3));
    }

    @Test
    void shouldNameTheFieldOfAWrongTypeAndOfTheRecordsOwnValidation() throws Exception {
        assertThat(refused("{\"name\":\"a\",\"rounds\":\"many\"}").extensions()).containsEntry("field", "rounds");
        Problem own = refused("{\"name\":\"a\",\"rounds\":-1}");
        assertThat(own.extensions()).containsEntry("field", "rounds");
        assertThat(own.detail()).isEqualTo("rounds must be 0 or more");
    }

    @Test
    void shouldRefuseABodyThatIsNotAnObjectAsAWhole() throws Exception {
        Problem array = refused("[1]");
        assertThat(array.extensions()).containsEntry("field", "");
        assertThat(array.detail()).isEqualTo("the body must be a JSON object with the spec");
    }
}
