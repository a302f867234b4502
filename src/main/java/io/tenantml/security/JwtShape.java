package io.tenantml.security;

/**
 * Tells a compact JWS (three base64url parts, the last possibly empty) from everything else, without
 * parsing it. A character scan rather than a regular expression: it runs for every request.
 */
public final class JwtShape {

    private JwtShape() {}

    public static boolean matches(String token) {
        if (token == null) {
            return false;
        }
        int dots = 0;
        int partLength = 0;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c == '.') {
                if (partLength == 0 || ++dots > 2) {
                    return false; // empty header or payload, or a fourth part
                }
                partLength = 0;
            } else if (isBase64Url(c)) {
                partLength++;
            } else {
                return false;
            }
        }
        return dots == 2;
    }

    private static boolean isBase64Url(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    }
}
