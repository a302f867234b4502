package io.tenantml.scheduling;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Quartz cron expressions with Jenkins-style {@code H} ("hash") tokens, so that ten thousand tenants asking for
 * "nightly" do not all fire at 03:00:00. In the seconds, minutes and hours fields, {@code H} stands for one value
 * of the field's range and {@code H(a-b)} for one value of {@code a..b}, chosen by a hash of a stable seed (the
 * tenant and the schedule's owner): the same seed always gets the same time, different seeds spread evenly.
 * Example: {@code H H H(0-5) * * ?} fires once a night between 00:00:00 and 05:59:59 UTC.
 *
 * <p>Only whole-field tokens are resolved ({@code H/15} or lists are not); an {@code H} elsewhere is left as is, and
 * Quartz then refuses the expression, which the caller reports as an invalid schedule.
 */
public final class SpreadCron {

    private static final Pattern HASH = Pattern.compile("H(?:\\((\\d{1,2})-(\\d{1,2})\\))?");
    /** Seconds, minutes, hours: the fields a nightly spread needs. */
    private static final int[] FIELD_MAX = {59, 59, 23};

    private SpreadCron() {}

    /** Whether the expression holds a hash token at all (then its effective form depends on the seed). */
    public static boolean isSpread(String expression) {
        return expression != null && expression.indexOf('H') >= 0;
    }

    /**
     * The expression with each {@code H} token of the first three fields replaced by its seeded value.
     *
     * @return empty when a range is malformed ({@code H(9-3)}, {@code H(0-99)} in minutes)
     */
    public static Optional<String> resolve(String expression, String seed) {
        String[] fields = expression.trim().split("\\s+");
        for (int i = 0; i < Math.min(FIELD_MAX.length, fields.length); i++) {
            Matcher m = HASH.matcher(fields[i]);
            if (!m.matches()) {
                continue;
            }
            int low = m.group(1) == null ? 0 : Integer.parseInt(m.group(1));
            int high = m.group(2) == null ? FIELD_MAX[i] : Integer.parseInt(m.group(2));
            if (low > high || high > FIELD_MAX[i]) {
                return Optional.empty();
            }
            fields[i] = Integer.toString(low + Math.floorMod(hash(seed, i), high - low + 1));
        }
        return Optional.of(String.join(" ", fields));
    }

    // Each field draws from its own hash so that, e.g., minute and second are not the same number.
    private static long hash(String seed, int field) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256")
                    .digest((seed + "\u0000" + field).getBytes(StandardCharsets.UTF_8));
            long v = 0;
            for (int b = 0; b < 8; b++) {
                v = (v << 8) | (d[b] & 0xff);
            }
            return v;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
