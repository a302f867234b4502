package io.tenantml.dataset;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Optional;

/** Upload and download formats, each bound to one media type. */
public enum DatasetFormat {
    /** RFC 4180 with a header row, UTF-8. */
    CSV("text/csv"),
    /** One JSON object per line. */
    NDJSON("application/x-ndjson"),
    /** One JSON array of objects. */
    JSON("application/json");

    private final String mediaType;

    DatasetFormat(String mediaType) {
        this.mediaType = mediaType;
    }

    public String mediaType() {
        return mediaType;
    }

    /** As the API and the database write it: {@code csv}, {@code ndjson}, {@code json}. */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static DatasetFormat fromWire(String value) {
        for (DatasetFormat f : values()) {
            if (f.wireName().equals(value)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown dataset format '" + value + "'");
    }

    /** Matches a Content-Type header, ignoring parameters such as {@code charset}. */
    public static Optional<DatasetFormat> ofMediaType(String contentType) {
        if (contentType == null) {
            return Optional.empty();
        }
        String base = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        for (DatasetFormat f : values()) {
            if (f.mediaType.equals(base)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }
}
