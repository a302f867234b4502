package io.tenantml.shared;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextsTest {

    private static final String FACE = "\uD83D\uDE00"; // one character, two UTF-16 units

    @Test
    void shouldCutAtTheLengthButNeverInsideACharacterOfTwoUnits() {
        assertThat(Texts.cut("abcdef", 4)).isEqualTo("abcd");
        assertThat(Texts.cut("abc", 4)).isEqualTo("abc");
        assertThat(Texts.cut("abc" + FACE + "d", 4)).isEqualTo("abc");
        assertThat(Texts.cut("ab" + FACE + "d", 4)).isEqualTo("ab" + FACE);
        assertThat(Texts.cut(FACE, 1)).isEmpty();
    }

    @Test
    void shouldListAtMostTheGivenNumberOfNamesAndSayWhenThereAreMore() {
        assertThat(Texts.listed(java.util.List.of("a", "b", "c"), 3)).isEqualTo("a, b, c");
        assertThat(Texts.listed(java.util.List.of("a", "b", "c"), 2)).isEqualTo("a, b, ...");
        assertThat(Texts.listed(java.util.List.of(), 2)).isEmpty();
    }
}
