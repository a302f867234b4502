package io.tenantml.rules;

import io.tenantml.monitoring.PerformanceAssessment;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The watch of an automatic promotion as pure functions: which figure of the previous version the promoted one is
 * compared with, which figure of the promoted one counts, and what one window run decides. The promoted version
 * is judged on all its predictions since the promotion (labels of an hour are few; the figure steadies as the
 * watch goes on), realised from feedback when at least {@code minSamples} labels answer them, else CBPE's
 * estimate over at least {@code minSamples} scored predictions (classifiers), else the run cannot judge it and
 * does not count. It falls when its figure is worse than the baseline by more than {@code rollbackMargin}; it
 * passes after {@code windows} runs that could judge it without falling.
 */
public final class PromotionWatch {

    private PromotionWatch() {}

    /**
     * @param metric the metric compared (the rule's, else the model's gate metric)
     * @param rollbackMargin how much worse than the baseline the watched version may be (metric units)
     * @param minSamples labels (realised) or scored predictions (estimated) a figure needs
     * @param windows runs that can judge the version before the watch passes
     */
    public record Settings(String metric, double rollbackMargin, int minSamples, int windows) {
        public Settings {
            Objects.requireNonNull(metric, "metric");
            if (!(rollbackMargin >= 0) || minSamples < 1 || windows < 1) {
                throw new IllegalArgumentException("rollbackMargin >= 0, minSamples >= 1, windows >= 1; got "
                        + rollbackMargin + ", " + minSamples + ", " + windows);
            }
        }
    }

    public enum Source {
        /** From feedback labels. */
        REALISED,
        /** CBPE's estimate from scores alone. */
        ESTIMATED,
        /** The version's validation metrics, as trained. */
        VALIDATION;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Source fromWire(String wire) {
            return valueOf(wire.toUpperCase(Locale.ROOT));
        }
    }

    /** A figure of one version: the metric's value, where it came from, and over how many labels or rows. */
    public record Figure(double value, Source source, long samples) {}

    public enum Verdict {
        /** Too few labels and scored predictions (or no such metric): the run does not count. */
        CANNOT_JUDGE,
        /** Judged, not worse by more than the margin; the watch goes on. */
        HELD,
        /** Judged, not worse, and this was the last run to watch. */
        PASSED,
        /** Worse than the baseline by more than the margin: roll back. */
        FELL
    }

    /**
     * @param watched the figure judged (absent for {@link Verdict#CANNOT_JUDGE})
     * @param bound the worst value the watched version may have: the baseline made worse by the margin
     */
    public record Judgement(Verdict verdict, Optional<Figure> watched, double bound) {}

    /**
     * What the promoted version is compared with: the previous version's realised figure on its own predictions
     * before the promotion when at least {@code minSamples} labels answer them (what the tenant really had), else
     * its validation figure.
     *
     * @param previousBefore the previous version's performance before the promotion (may be null: not assessed)
     * @param previousValidation the previous version's validation metrics
     */
    public static Optional<Figure> baseline(
            PerformanceAssessment previousBefore,
            Map<String, Double> previousValidation,
            String metric,
            int minSamples) {
        if (previousBefore != null) {
            Optional<Double> realised = RuleSignals.realised(previousBefore, metric, minSamples);
            if (realised.isPresent()) {
                return Optional.of(new Figure(
                        realised.get(),
                        Source.REALISED,
                        previousBefore.realised().labels()));
            }
        }
        Double validation = previousValidation == null ? null : previousValidation.get(metric);
        return validation == null || !Double.isFinite(validation)
                ? Optional.empty()
                : Optional.of(new Figure(validation, Source.VALIDATION, 0));
    }

    /** The promoted version's figure since its promotion: realised with enough labels, else estimated. */
    public static Optional<Figure> watched(PerformanceAssessment sincePromotion, String metric, int minSamples) {
        if (sincePromotion == null) {
            return Optional.empty();
        }
        Optional<Double> realised = RuleSignals.realised(sincePromotion, metric, minSamples);
        if (realised.isPresent()) {
            return Optional.of(new Figure(
                    realised.get(), Source.REALISED, sincePromotion.realised().labels()));
        }
        return RuleSignals.estimated(sincePromotion, metric, minSamples)
                .map(v -> new Figure(
                        v, Source.ESTIMATED, sincePromotion.estimated().rows()));
    }

    /**
     * One window run of the watch.
     *
     * @param counted runs that judged the version before this one
     */
    public static Judgement judge(Settings settings, Figure baseline, Optional<Figure> watched, int counted) {
        Objects.requireNonNull(baseline, "baseline");
        double bound = RuleSignals.lowered(settings.metric(), baseline.value(), settings.rollbackMargin());
        if (watched.isEmpty()) {
            return new Judgement(Verdict.CANNOT_JUDGE, watched, bound);
        }
        if (RuleSignals.worse(settings.metric(), watched.get().value(), bound)) {
            return new Judgement(Verdict.FELL, watched, bound);
        }
        return new Judgement(counted + 1 >= settings.windows() ? Verdict.PASSED : Verdict.HELD, watched, bound);
    }
}
