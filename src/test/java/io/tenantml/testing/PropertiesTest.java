package io.tenantml.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The property runner and the generators the randomised tests rely on. */
class PropertiesTest {

    private static final long SEED = 42L;

    @Test
    void shouldFailAFalsePropertyNamingItsSeedTryAndValue() {
        Gen<Integer> values = Gen.ints(0, 1000);

        AssertionError failure = catchThrowableOfType(
                AssertionError.class,
                () -> Properties.check(
                        "below 900", SEED, 10_000, values, v -> assertThat(v).isLessThan(900)));

        assertThat(failure).as("a property false for a tenth of its values").isNotNull();
        assertThat(failure.getMessage())
                .contains("property 'below 900' failed at try ")
                .contains("with seed 42")
                .contains("-Dtenantml.seed=42 -Dtenantml.try=");
        // The reported try, drawn again on its own, gives the reported value: the failure can be replayed.
        int index = Integer.parseInt(failure.getMessage().replaceAll("(?s).*failed at try (\\d+) of.*", "$1"));
        int value = values.next(Properties.random(SEED, index));
        assertThat(value).isGreaterThanOrEqualTo(900);
        assertThat(failure.getMessage()).contains("value: " + value);
        assertThat(failure.getCause()).isInstanceOf(AssertionError.class);
    }

    @Test
    void shouldRunATruePropertyOnEveryTryWithTheSameValuesForTheSameSeed() {
        List<Integer> first = new ArrayList<>();
        List<Integer> second = new ArrayList<>();
        Properties.check("in range", SEED, 500, Gen.ints(-5, 5), first::add);
        Properties.check("in range", SEED, 500, Gen.ints(-5, 5), second::add);

        assertThat(first)
                .hasSize(500)
                .isEqualTo(second)
                .allSatisfy(v -> assertThat(v).isBetween(-5, 5));
        List<Integer> other = new ArrayList<>();
        Properties.check("in range", SEED + 1, 500, Gen.ints(-5, 5), other::add);
        assertThat(other).isNotEqualTo(first);
    }

    @Test
    void shouldReportAGeneratorThatFailsAsAFailureWithItsSeed() {
        Gen<Integer> never = Gen.ints(0, 10).filter(v -> v > 10);

        AssertionError failure =
                catchThrowableOfType(AssertionError.class, () -> Properties.check("never", SEED, 10, never, v -> {}));

        assertThat(failure.getMessage()).contains("with seed 42").contains("the generator failed");
    }

    @Test
    void shouldKeepRangesInBoundsAndHitTheirEdges() {
        SplittableRandom random = new SplittableRandom(SEED);
        Set<Long> longs = new HashSet<>();
        Set<BigInteger> bigs = new HashSet<>();
        BigInteger min = BigInteger.TEN.pow(30).negate();
        BigInteger max = BigInteger.TEN.pow(30);
        for (int i = 0; i < 2_000; i++) {
            longs.add(Gen.longs(-7, 1_000_000).next(random));
            bigs.add(Gen.bigIntegers(min, max).next(random));
            assertThat(Gen.longs().next(random)).isNotNull();
        }
        assertThat(longs).allSatisfy(v -> assertThat(v).isBetween(-7L, 1_000_000L));
        assertThat(longs).contains(-7L, -6L, -1L, 0L, 1L, 999_999L, 1_000_000L);
        assertThat(bigs).allSatisfy(v -> assertThat(v).isBetween(min, max));
        assertThat(bigs).contains(min, max, BigInteger.ZERO);
    }

    @Test
    void shouldChooseByWeightAndNeverAWeightOfZero() {
        Gen<String> choice = Gen.frequency(
                Gen.weight(3, Gen.constant("a")), Gen.weight(1, Gen.constant("b")), Gen.weight(0, Gen.constant("c")));
        SplittableRandom random = new SplittableRandom(SEED);
        int a = 0;
        for (int i = 0; i < 4_000; i++) {
            String v = choice.next(random);
            assertThat(v).isNotEqualTo("c");
            a += v.equals("a") ? 1 : 0;
        }
        // Expected 3,000 of 4,000; the standard deviation is sqrt(4000 * 0.75 * 0.25) ≈ 27, so ±150 is > 5σ.
        assertThat(a).isBetween(2_850, 3_150);
    }

    @Test
    void shouldMakeStringsOfTheChosenAlphabetIncludingNulAndSupplementaryCharacters() {
        SplittableRandom random = new SplittableRandom(SEED);
        StringBuilder control = new StringBuilder();
        StringBuilder unicode = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            String s = Gen.strings(Gen.controlChars(), 0, 5).next(random);
            assertThat(s.codePointCount(0, s.length())).isBetween(0, 5);
            control.append(s);
            unicode.append(Gen.strings(Gen.unicode(), 1, 5).next(random));
        }
        assertThat(control.toString()).contains("\u0000");
        assertThat(control.chars().allMatch(c -> c < 0x20 || c == 0x7F)).isTrue();
        assertThat(unicode.codePoints().anyMatch(Character::isSupplementaryCodePoint))
                .isTrue();
        assertThat(unicode.codePoints().noneMatch(cp -> cp >= 0xD800 && cp <= 0xDFFF))
                .isTrue();
    }

    @Test
    void shouldMakeJsonOfEveryShapeAndTextThatIsNotJson() throws Exception {
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper()
                .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        SplittableRandom random = new SplittableRandom(SEED);
        Set<String> shapes = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            shapes.add(mapper.readTree(Gen.jsonValues(3).next(random))
                    .getNodeType()
                    .name());
            String invalid = Gen.invalidJson().next(random);
            assertThat(catchThrowableOfType(Exception.class, () -> mapper.readTree(invalid)))
                    .as("%s is not JSON", invalid)
                    .satisfiesAnyOf(
                            e -> assertThat(e).isNotNull(),
                            e -> assertThat(invalid).isBlank()); // Jackson reads a blank text as no value
        }
        assertThat(shapes).contains("OBJECT", "ARRAY", "STRING", "NUMBER", "BOOLEAN", "NULL");
        assertThat(mapper.readTree(Gen.deepJson(50, true)).at("/0/0/0").isArray())
                .isTrue();
    }
}
