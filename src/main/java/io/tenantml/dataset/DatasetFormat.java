package io.tenantml.dataset;

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

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
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
