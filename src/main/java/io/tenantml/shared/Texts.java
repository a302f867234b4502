package io.tenantml.shared;

/** Text cut to a length without cutting a character in half. */
public final class Texts {

    private Texts() {}

    /**
     * The first {@code max} UTF-16 units of {@code text}, or one fewer when the cut would fall inside a
     * character outside the Basic Multilingual Plane (an emoji is two units): half of one is not text, and
     * PostgreSQL or a JSON writer would store or send it as '?'.
     */
    public static String cut(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        int end = max > 0 && Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
        return text.substring(0, end);
    }
}
