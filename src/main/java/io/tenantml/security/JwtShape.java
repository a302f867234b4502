package io.tenantml.security;

import java.util.regex.Pattern;

/** Tells a compact JWS (three base64url parts) from everything else, without parsing it. */
public final class JwtShape {

    private static final Pattern COMPACT_JWS = Pattern.compile("^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*$");

    private JwtShape() {
    }

    public static boolean matches(String token) {
        return token != null && COMPACT_JWS.matcher(token).matches();
    }
}
