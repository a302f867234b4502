package io.tenantml.testing;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A seeded generator of test values: a function of a {@link SplittableRandom}, so that the same seed gives the
 * same values on every machine. Generators compose ({@link #map}, {@link #flatMap}, {@link #filter},
 * {@link #list}, {@link #oneOf}, {@link #frequency}); a lambda {@code random -> ...} is a generator too, which is
 * the cheapest way to combine several ({@code random -> new Pair(a.next(random), b.next(random))}).
 * <p>
 * Ranges lean towards their edges (the bounds, zero, one and minus one when inside): one value in eight is an
 * edge, because that is where parsers and encoders break; and half have few bits, so that small magnitudes
 * (and short strings and lists) are common. {@link Properties#check} runs a property over a
 * generator and reports the seed, the try and the value of a failure.
 */
@FunctionalInterface
public interface Gen<T> {

    /** The next value; everything random in it comes from {@code random}. */
    T next(SplittableRandom random);

    /** How often a range picks one of its edges rather than a uniform value: 1 in {@value}. */
    int EDGE_ONE_IN = 8;

    /**
     * How often, in eight, a range picks a value of few bits (when in range) rather than a uniform one: uniform
     * longs are nearly all 19 digits long, string lengths up to 25 mostly over 12, and short ones are what
     * people write.
     */
    int SMALL_IN_EIGHT = 4;

    /** How many candidates {@link #filter} draws before it gives up (a filter that rejects nearly all). */
    int FILTER_TRIES = 10_000;

    default <R> Gen<R> map(Function<? super T, ? extends R> f) {
        return random -> f.apply(next(random));
    }

    default <R> Gen<R> flatMap(Function<? super T, ? extends Gen<? extends R>> f) {
        return random -> f.apply(next(random)).next(random);
    }

    /** Values of this generator that satisfy {@code keep}; fails loudly if it keeps almost none. */
    default Gen<T> filter(Predicate<? super T> keep) {
        return random -> {
            for (int i = 0; i < FILTER_TRIES; i++) {
                T value = next(random);
                if (keep.test(value)) {
                    return value;
                }
            }
            throw new IllegalStateException("the filter kept none of " + FILTER_TRIES + " values");
        };
    }

    /** Lists of {@code min} to {@code max} values (the lengths biased to their edges like any range). */
    default Gen<List<T>> list(int min, int max) {
        Gen<Integer> sizes = ints(min, max);
        return random -> {
            int size = sizes.next(random);
            List<T> values = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                values.add(next(random));
            }
            return values;
        };
    }

    // ---- constants and choices ----

    static <T> Gen<T> constant(T value) {
        return random -> value;
    }

    /** One of the given values, each as likely. */
    @SafeVarargs
    static <T> Gen<T> of(T... values) {
        return of(Arrays.asList(values));
    }

    /** One of the given values, each as likely. */
    static <T> Gen<T> of(List<? extends T> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("values: none to choose from");
        }
        List<? extends T> copy = new ArrayList<>(values);
        return random -> copy.get(random.nextInt(copy.size()));
    }

    /** A value of one of the given generators, each generator as likely. */
    @SafeVarargs
    static <T> Gen<T> oneOf(Gen<? extends T>... gens) {
        if (gens.length == 0) {
            throw new IllegalArgumentException("gens: none to choose from");
        }
        Gen<? extends T>[] copy = gens.clone();
        return random -> copy[random.nextInt(copy.length)].next(random);
    }

    /** A generator with its weight, for {@link #frequency}. */
    record Weighted<T>(int weight, Gen<? extends T> gen) {
        public Weighted {
            if (weight < 0) {
                throw new IllegalArgumentException("weight: " + weight + " is negative");
            }
            Objects.requireNonNull(gen, "gen");
        }
    }

    static <T> Weighted<T> weight(int weight, Gen<? extends T> gen) {
        return new Weighted<>(weight, gen);
    }

    /** A value of one of the generators, chosen in proportion to its weight (a weight 0 is never chosen). */
    @SafeVarargs
    static <T> Gen<T> frequency(Weighted<? extends T>... choices) {
        int total = Arrays.stream(choices).mapToInt(Weighted::weight).sum();
        if (total <= 0) {
            throw new IllegalArgumentException("choices: the weights add up to " + total);
        }
        Weighted<? extends T>[] copy = choices.clone();
        return random -> {
            int pick = random.nextInt(total);
            for (Weighted<? extends T> choice : copy) {
                pick -= choice.weight();
                if (pick < 0) {
                    return choice.gen().next(random);
                }
            }
            throw new AssertionError("unreachable: the weights add up to " + total);
        };
    }

    /** A non-empty subset of the values, in a random order. */
    static <T> Gen<List<T>> subsetOf(List<? extends T> values) {
        List<? extends T> copy = List.copyOf(values);
        return random -> {
            List<T> picked = new ArrayList<>();
            while (picked.isEmpty()) {
                for (T value : copy) {
                    if (random.nextBoolean()) {
                        picked.add(value);
                    }
                }
            }
            for (int i = picked.size() - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                T swap = picked.get(i);
                picked.set(i, picked.get(j));
                picked.set(j, swap);
            }
            return picked;
        };
    }

    // ---- numbers ----

    static Gen<Boolean> booleans() {
        return SplittableRandom::nextBoolean;
    }

    /** Integers from {@code min} to {@code max} inclusive, leaning towards the edges. */
    static Gen<Integer> ints(int min, int max) {
        return longs(min, max).map(Long::intValue);
    }

    /** Any int, leaning towards the edges. */
    static Gen<Integer> ints() {
        return ints(Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    /** Longs from {@code min} to {@code max} inclusive, leaning towards the edges. */
    static Gen<Long> longs(long min, long max) {
        if (min > max) {
            throw new IllegalArgumentException("min " + min + " is above max " + max);
        }
        long[] edges = Arrays.stream(new long[] {min, max, 0, 1, -1, min + 1, max - 1})
                .filter(e -> e >= min && e <= max)
                .distinct()
                .toArray();
        return random -> {
            int pick = random.nextInt(EDGE_ONE_IN);
            if (pick == 0) {
                return edges[random.nextInt(edges.length)];
            }
            if (pick <= SMALL_IN_EIGHT) {
                long small = random.nextLong() >>> (63 - smallBits(random, 63));
                long signed = random.nextBoolean() ? small : -small;
                if (signed >= min && signed <= max) {
                    return signed;
                }
            }
            return max == Long.MAX_VALUE && min == Long.MIN_VALUE
                    ? random.nextLong()
                    : max == Long.MAX_VALUE ? random.nextLong(min - 1, max) + 1 : random.nextLong(min, max + 1);
        };
    }

    /** Any long, leaning towards the edges. */
    static Gen<Long> longs() {
        return longs(Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** Big integers from {@code min} to {@code max} inclusive, leaning towards the edges. */
    static Gen<BigInteger> bigIntegers(BigInteger min, BigInteger max) {
        BigInteger span = max.subtract(min).add(BigInteger.ONE);
        if (span.signum() <= 0) {
            throw new IllegalArgumentException("min " + min + " is above max " + max);
        }
        List<BigInteger> edges = new ArrayList<>();
        for (BigInteger e : List.of(min, max, BigInteger.ZERO, BigInteger.ONE, BigInteger.ONE.negate())) {
            if (e.compareTo(min) >= 0 && e.compareTo(max) <= 0 && !edges.contains(e)) {
                edges.add(e);
            }
        }
        int bits = span.bitLength();
        return random -> {
            int pick = random.nextInt(EDGE_ONE_IN);
            if (pick == 0) {
                return edges.get(random.nextInt(edges.size()));
            }
            if (pick <= SMALL_IN_EIGHT) {
                byte[] bytes = new byte[bits / 8 + 1];
                random.nextBytes(bytes);
                BigInteger small = new BigInteger(1, bytes).shiftRight(bytes.length * 8 - smallBits(random, bits));
                BigInteger signed = random.nextBoolean() ? small : small.negate();
                if (signed.compareTo(min) >= 0 && signed.compareTo(max) <= 0) {
                    return signed;
                }
            }
            // Uniform by rejection: at most two draws on average.
            while (true) {
                byte[] bytes = new byte[bits / 8 + 1];
                random.nextBytes(bytes);
                BigInteger candidate = new BigInteger(1, bytes).shiftRight(bytes.length * 8 - bits);
                if (candidate.compareTo(span) < 0) {
                    return min.add(candidate);
                }
            }
        };
    }

    /**
     * A number of bits from 0 to {@code max}, small ones likelier (a bound drawn uniformly, then a count below
     * it): about half the draws are below a quarter of {@code max}, as people's numbers mostly are short.
     */
    private static int smallBits(SplittableRandom random, int max) {
        return random.nextInt(random.nextInt(max + 1) + 1);
    }

    // ---- characters and strings ----

    /** The decimal digits 0 to 9. */
    static Gen<Integer> digits() {
        return ints('0', '9');
    }

    /** Printable ASCII, space to tilde. */
    static Gen<Integer> printableAscii() {
        return ints(' ', '~');
    }

    /** ASCII control characters: NUL to unit separator, and DEL. */
    static Gen<Integer> controlChars() {
        return frequency(weight(32, ints(0, 31)), weight(1, constant(0x7F)));
    }

    /**
     * Any UTF-16 code unit, unpaired surrogates and NUL included (what a Java string can hold, not all of which
     * UTF-8 can carry).
     */
    static Gen<Integer> anyChar() {
        return ints(0, 0xFFFF);
    }

    /** Any Unicode code point outside the surrogate range, supplementary planes included. */
    static Gen<Integer> unicode() {
        return frequency(
                weight(4, ints(0, 0xD7FF)), weight(1, ints(0xE000, 0xFFFF)), weight(1, ints(0x1_0000, 0x10_FFFF)));
    }

    /** Strings of {@code minLength} to {@code maxLength} code points (or code units) drawn from {@code chars}. */
    static Gen<String> strings(Gen<Integer> chars, int minLength, int maxLength) {
        Gen<Integer> lengths = ints(minLength, maxLength);
        return random -> {
            int length = lengths.next(random);
            StringBuilder out = new StringBuilder(length);
            for (int i = 0; i < length; i++) {
                out.appendCodePoint(chars.next(random));
            }
            return out.toString();
        };
    }

    // ---- JSON documents, well-formed and not ----

    /**
     * JSON texts of every shape: objects, arrays, bare strings, numbers, booleans and null, nested up to
     * {@code depth}. For bodies of the wrong shape: an endpoint that wants an object gets any of these.
     */
    static Gen<String> jsonValues(int depth) {
        Gen<String> scalars = oneOf(
                of("null", "true", "false", "0", "-1", "1.5e308", "1e999", "-0", "123456789012345678901234567890"),
                strings(printableAscii(), 0, 12).map(Gen::jsonString),
                strings(unicode(), 0, 8).map(Gen::jsonString),
                strings(controlChars(), 1, 4).map(Gen::jsonString));
        if (depth <= 0) {
            return scalars;
        }
        Gen<String> inner = jsonValues(depth - 1);
        Gen<String> keys = oneOf(of("name", "id", "", "a", "role", "label"), strings(printableAscii(), 0, 6));
        Gen<String> arrays = inner.list(0, 3).map(items -> "[" + String.join(",", items) + "]");
        Gen<String> objects = random -> {
            List<String> members = new ArrayList<>();
            for (int i = random.nextInt(4); i > 0; i--) {
                members.add(jsonString(keys.next(random)) + ":" + inner.next(random));
            }
            return "{" + String.join(",", members) + "}";
        };
        return frequency(weight(2, scalars), weight(1, arrays), weight(1, objects));
    }

    /** Texts that are not JSON: truncated, unquoted, trailing commas, comments, bare words, empty. */
    static Gen<String> invalidJson() {
        return oneOf(
                of(
                        "",
                        " ",
                        "{",
                        "[",
                        "{\"a\":",
                        "{\"a\" 1}",
                        "{a:1}",
                        "{'a':1}",
                        "[1,]",
                        "{\"a\":1,}",
                        "nul",
                        "tru",
                        "{\"a\":1}}",
                        "/* c */ {}",
                        "NaN",
                        "\"unterminated",
                        "{\"a\":\"\\x\"}",
                        "\u0000",
                        "{\"a\":01}",
                        "--1"),
                jsonValues(2).map(json -> json.isEmpty() ? "{" : json.substring(0, json.length() - 1) + "\u0000"),
                strings(printableAscii(), 0, 20).map(s -> "{\"k\":" + s + ","));
    }

    /** A JSON value nested {@code depth} levels deep: {@code [[[...]]]} or {@code {"a":{"a":...}}}. */
    static String deepJson(int depth, boolean arrays) {
        String open = arrays ? "[" : "{\"a\":";
        String close = arrays ? "]" : "}";
        return open.repeat(depth) + "1" + close.repeat(depth);
    }

    /** The JSON string literal of {@code text}, with control characters and non-ASCII escaped. */
    static String jsonString(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20 || c > 0x7E) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
