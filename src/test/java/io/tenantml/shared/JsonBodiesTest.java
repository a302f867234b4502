package io.tenantml.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tenantml.shared.rest.StrictJson;
import org.junit.jupiter.api.Test;

class JsonBodiesTest {

    enum Colour {
        RED,
        GREEN
    }

    record Painted(Colour colour) {}

    record Spec(String name, int rounds) {
        Spec {
            if (rounds < 0) {
                throw new JsonBodies.InvalidValue("rounds", "rounds must be 0 or more");
            }
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ProblemException problem(String field, String detail) {
        return ProblemException.badField("invalid-spec", field, detail);
    }

    private static Problem refused(String body) throws Exception {
        return catchThrowableOfType(
                        ProblemException.class,
                        () -> JsonBodies.read(JSON, JSON.readTree(body), Spec.class, "spec", JsonBodiesTest::problem))
                .problem();
    }

    @Test
    void shouldNameTheFieldsAnObjectTakesBesideAnUnknownOne() throws Exception {
        Problem problem = refused("{\"name\":\"a\",\"round\":3}");

        assertThat(problem.extensions()).containsEntry("field", "round");
        assertThat(problem.detail()).isEqualTo("Unknown field 'round'; the fields here are name, rounds");
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

    /** A client that sent the wrong JSON type hears which it sent, not only which was expected. */
    @Test
    void shouldSayWhichJsonTypeWasSentWhereAnotherBelongs() {
        java.util.function.Function<String, String> described = body -> JsonBodies.describe(catchThrowableOfType(
                com.fasterxml.jackson.databind.JsonMappingException.class, () -> STRICT.readValue(body, Spec.class)));
        assertThat(described.apply("{\"name\":\"a\",\"rounds\":[1]}"))
                .isEqualTo("Field 'rounds' has the wrong type: expected an integer, was an array");
        assertThat(described.apply("{\"name\":{\"x\":1},\"rounds\":1}"))
                .isEqualTo("Field 'name' has the wrong type: expected a string, was an object");
        assertThat(described.apply("[]"))
                .isEqualTo("The body has the wrong shape: expected a JSON object, was an array");
    }

    /** The platform's mapper as Quarkus builds it: {@link StrictJson} applied. */
    private static final ObjectMapper STRICT = strict();

    private static ObjectMapper strict() {
        ObjectMapper mapper = new ObjectMapper();
        new StrictJson().customize(mapper);
        return mapper;
    }

    private static String syntaxDetail(String body) {
        return syntaxDetail(body, Spec.class);
    }

    private static String syntaxDetail(String body, Class<?> as) {
        return JsonBodies.describeSyntax(catchThrowableOfType(
                com.fasterxml.jackson.core.JsonProcessingException.class, () -> STRICT.readValue(body, as)));
    }

    @Test
    void shouldDescribeUnreadableJsonInJsonsWordsWithoutJacksonsSourceSwitchesOrJavaTypes() {
        assertThat(syntaxDetail("{\"name\":\"a\""))
                .startsWith("Unexpected end-of-input: expected close marker for Object")
                .doesNotContain("[Source", "`");
        assertThat(syntaxDetail("NaN")).isEqualTo("Non-standard token 'NaN'");
        assertThat(syntaxDetail("{\"name\":\"a\",\"name\":\"b\"}")).startsWith("Duplicate field 'name'");
        assertThat(syntaxDetail("[".repeat(1_500) + "]".repeat(1_500), Object.class))
                .contains("exceeds the maximum allowed (1000)")
                .doesNotContain("`", "StreamReadConstraints");
        assertThat(syntaxDetail("{\"name\":\"a\",\"rounds\":99999999999}"))
                .isEqualTo(
                        "Field 'rounds': Numeric value (99999999999) out of range of int (-2147483648 - 2147483647)");
        assertThat(JsonBodies.describeSyntax(new com.fasterxml.jackson.core.JsonParseException(
                        null, "Cannot read `java.lang.Integer` here")))
                .isEqualTo("Cannot read Integer here");
    }

    @Test
    void shouldRefuseAFractionForAnIntegerFieldNamingItWhereJacksonTruncated() throws Exception {
        assertThat(new ObjectMapper()
                        .readValue("{\"name\":\"a\",\"rounds\":2.5}", Spec.class)
                        .rounds())
                .as("Jackson's default, which StrictJson changes")
                .isEqualTo(2);

        assertThat(syntaxDetail("{\"name\":\"a\",\"rounds\":2.5}"))
                .isEqualTo("Field 'rounds' must be an integer, was 2.5");
        assertThat(syntaxDetail("{\"name\":\"a\",\"rounds\":1e30}"))
                .as("a whole number, only too large: the detail says the range")
                .isEqualTo("Field 'rounds' must be an integer from -2147483648 to 2147483647, was 1.0E30");
        assertThat(STRICT.readValue("{\"name\":\"a\",\"rounds\":\"3\"}", Spec.class)
                        .rounds())
                .as("a number sent as a string loses nothing and still reads")
                .isEqualTo(3);
    }

    @Test
    void shouldNameTheValuesAnEnumFieldAcceptsRatherThanItsJavaType() {
        assertThat(syntaxDetail("{\"colour\":\"BLUE\"}", Painted.class))
                .isEqualTo("Field 'colour' has an unknown value \"BLUE\"; expected one of RED, GREEN");
    }
}
