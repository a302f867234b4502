package io.tenantml.usage;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.OptBoolean;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of {@code PUT /api/v1/rate-cards/{version}}. */
@Schema(description = "A new rate card version")
public record RateCardRequest(
        // strict: a timestamp is refused, not cut to its day (which the day of a time with an offset may not be)
        @NotNull
        @JsonFormat(lenient = OptBoolean.FALSE)
        @Schema(description = "First UTC day whose usage it prices (YYYY-MM-DD)", required = true)
        LocalDate effectiveFrom,

        @NotNull
        @Pattern(regexp = "[A-Z]{3}")
        @Schema(description = "ISO 4217 code; the same for every version", required = true)
        String currency,

        @NotNull
        @Schema(
                description =
                        "Meter name to price per billing unit (JSON number or decimal string, exact, >= 0, at most"
                                + " 12 decimal places)",
                required = true)
        Map<String, BigDecimal> prices,

        @Schema(description = "Why this version exists", nullable = true)
        String note) {}
