package io.tenantml.rules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The stable identity of a rule, by which its state, firings and watch are kept: its {@code name} when it has
 * one, else {@code sha256:} and the first 16 hex digits of the SHA-256 of its canonical content (the rule with its
 * defaults filled in, without a name, as JSON with sorted keys and no nulls). So an unnamed rule written with its
 * defaults spelled out, or its fields in another order, is the same rule, and an unnamed rule edited is a new one.
 * A key never looks like a name unless it is one ({@code :} is not a name's character), and the states kept from
 * before keys existed (V102) carry {@code #<position>} until the next PUT gives them their key.
 */
public final class RuleKeys {

    /** What a name may be. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    static final String CONTENT_PREFIX = "sha256:";

    // its own mapper, not the application's: a key must not change with the application's JSON settings
    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
            .build();
    private static final TypeReference<TreeMap<String, Object>> FIELDS = new TypeReference<>() {};

    private RuleKeys() {}

    /** The rule's key: its name, or its content's (for a rule as validated: defaults filled in). */
    public static String key(Rule rule) {
        return rule.name() != null ? rule.name() : contentKey(rule);
    }

    /** The name a key is, if it is one (not a content key, nor a key from before keys existed). */
    public static Optional<String> nameOf(String key) {
        return key != null && NAME.matcher(key).matches() ? Optional.of(key) : Optional.empty();
    }

    /** The key of what the rule says, whatever its name. */
    static String contentKey(Rule rule) {
        try {
            Map<String, Object> fields = CANONICAL.convertValue(rule.withName(null), FIELDS);
            byte[] canonical = CANONICAL.writeValueAsString(fields).getBytes(StandardCharsets.UTF_8);
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical);
            return CONTENT_PREFIX + HexFormat.of().formatHex(digest, 0, 8);
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Whether two versions of a rule watch the same signal: the same signal, threshold, features, skew kind and,
     * for the performance signals, metric, floor and margin. The rest (action, cooldown, consecutive windows, the
     * watch, includeFeedback) says what the rule does about the signal, not when it is present.
     */
    static boolean sameSignal(Rule a, Rule b) {
        boolean performance =
                RuleSignal.ofWire(a.signal()).map(RuleSignal::performance).orElse(false);
        return Objects.equals(a.signal(), b.signal())
                && Objects.equals(a.threshold(), b.threshold())
                && Objects.equals(a.features(), b.features())
                && Objects.equals(a.kind(), b.kind())
                && (!performance
                        || (Objects.equals(a.metric(), b.metric())
                                && Objects.equals(a.floor(), b.floor())
                                && Objects.equals(a.margin(), b.margin())));
    }

    /**
     * Which rule before a PUT each rule after it continues.
     *
     * @param previous the index of the rule before the PUT whose state this rule keeps
     * @param signalChanged whether the kept rule's signal definition changed ({@link #sameSignal})
     */
    public record Continued(int previous, boolean signalChanged) {}

    /**
     * For each rule after a PUT, the rule before it that it continues, if any: first the rule of the same key
     * (the same name; or, both unnamed, the same content), then, among the rules left on both sides, one that
     * says exactly the same under another name or none (naming, renaming or unnaming a rule without changing it
     * keeps its state: it is the same rule, and treating it as new would let it act again at once). Each rule
     * before is continued at most once; one continued by none is removed.
     */
    public static List<Optional<Continued>> match(List<Rule> before, List<Rule> after) {
        List<String> beforeKeys = before.stream().map(RuleKeys::key).toList();
        boolean[] taken = new boolean[before.size()];
        List<Optional<Continued>> matched = new ArrayList<>();
        for (Rule rule : after) {
            int j = firstFree(beforeKeys, key(rule), taken);
            if (j >= 0) {
                taken[j] = true;
                matched.add(Optional.of(new Continued(j, !sameSignal(before.get(j), rule))));
            } else {
                matched.add(Optional.empty());
            }
        }
        List<String> beforeContent = before.stream().map(RuleKeys::contentKey).toList();
        for (int i = 0; i < after.size(); i++) {
            if (matched.get(i).isEmpty()) {
                int j = firstFree(beforeContent, contentKey(after.get(i)), taken);
                if (j >= 0) {
                    taken[j] = true;
                    matched.set(i, Optional.of(new Continued(j, false)));
                }
            }
        }
        return matched;
    }

    private static int firstFree(List<String> keys, String key, boolean[] taken) {
        for (int j = 0; j < keys.size(); j++) {
            if (!taken[j] && keys.get(j).equals(key)) {
                return j;
            }
        }
        return -1;
    }
}
