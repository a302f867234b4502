package io.tenantml.shared;

/**
 * Text cut to a length without cutting a character in half; names listed in a message without flooding it; counts
 * with the words that agree with them.
 */
public final class Texts {

    private Texts() {}

    /**
     * The first {@code max} of {@code names}, in their order, joined by ", ", and ", ..." when there are more: the
     * names a problem lists beside one it did not know ("known: a, b, ...").
     */
    public static String listed(java.util.Collection<?> names, int max) {
        StringBuilder out = new StringBuilder();
        int n = 0;
        for (Object name : names) {
            if (n == max) {
                return out.append(", ...").toString();
            }
            out.append(n++ == 0 ? "" : ", ").append(name);
        }
        return out.toString();
    }

    /** "1 row has" or "3 rows have": {@code n} with the phrase that agrees with it. */
    public static String counted(long n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }

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
