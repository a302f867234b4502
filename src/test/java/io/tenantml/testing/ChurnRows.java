package io.tenantml.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A seeded synthetic churn data set for the monitoring and rules tests: usage uniform on [−2, 2] (scaled, then
 * shifted), a plan out of basic, pro and team, and churn drawn from a logistic model of both, so a test knows the
 * truth behind every label. The draws per row come in a fixed order (usage, plan, churn), so a seed gives the same
 * rows whichever test asks.
 */
public final class ChurnRows {

    public static final String[] PLANS = {"basic", "pro", "team"};

    public record Row(double usage, String plan, boolean churned) {}

    /** The logistic model behind the labels: P(churn) = σ(usageWeight × usage + the plan's effect). */
    public record Truth(double usageWeight, double basic, double pro, double team) {
        public double probability(double usage, String plan) {
            double effect = switch (plan) {
                case "basic" -> basic;
                case "pro" -> pro;
                default -> team;
            };
            return 1 / (1 + Math.exp(-(usageWeight * usage + effect)));
        }
    }

    private ChurnRows() {}

    public static List<Row> rows(Truth truth, long seed, int n) {
        return rows(truth, seed, n, 0, 1);
    }

    public static List<Row> rows(Truth truth, long seed, int n, double usageShift, double usageScale) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double usage = Math.round(((random.nextDouble() * 4 - 2) * usageScale + usageShift) * 1000) / 1000.0;
            String plan = PLANS[random.nextInt(3)];
            rows.add(new Row(usage, plan, random.nextDouble() < truth.probability(usage, plan)));
        }
        return rows;
    }

    /**
     * A binary model spec of the rows uploaded as dataset {@code customers}: churned from usage and plan, with
     * these XGBoost params.
     */
    public static Map<String, Object> spec(Map<String, Object> params) {
        return spec(params, Map.of());
    }

    /** The same with more fields of the spec ({@code gate}, {@code split}, ...). */
    public static Map<String, Object> spec(Map<String, Object> params, Map<String, Object> more) {
        Map<String, Object> spec = new java.util.HashMap<>(more);
        spec.putAll(Map.of("dataset", "customers", "target", "churned", "objective", "binary", "params", params));
        return Map.copyOf(spec);
    }

    /** The rows as CSV with the header usage,plan,churned. */
    public static byte[] csv(List<Row> rows) {
        StringBuilder csv = new StringBuilder("usage,plan,churned\n");
        for (Row r : rows) {
            csv.append(String.format(Locale.ROOT, "%.3f,%s,%s%n", r.usage(), r.plan(), r.churned()));
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }
}
