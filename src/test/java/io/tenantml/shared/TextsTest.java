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
}
