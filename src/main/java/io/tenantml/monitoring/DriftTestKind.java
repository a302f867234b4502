package io.tenantml.monitoring;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The drift tests the platform knows; each is an implementation of {@link DriftTest}. */
@Schema(
        type = SchemaType.STRING,
        enumeration = {
            "kolmogorov-smirnov",
            "wasserstein",
            "chi-squared",
            "jensen-shannon",
            "population-stability-index"
        },
        description = "A drift test")
public enum DriftTestKind {
    /** Numeric: the largest gap between the two CDFs, with a p-value (exact or asymptotic). */
    KOLMOGOROV_SMIRNOV,
    /** Numeric: the mass-weighted distance the distribution moved (earth mover's), in reference standard deviations. */
    WASSERSTEIN,
    /** Categorical: Pearson's test of homogeneity over the union of categories, with a p-value. */
    CHI_SQUARED,
    /** Categorical: Jensen–Shannon distance (base 2), in [0, 1]. */
    JENSEN_SHANNON,
    /** Both kinds: population stability index over reference deciles or categories (reported, never decides). */
    POPULATION_STABILITY_INDEX;

    /** On the wire in lower case with hyphens ({@code insufficient-data}), like every enum of the API. */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
