package io.tenantml.storage;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A relative, slash-separated key inside one tenant's space, such as {@code models/churn/3/model.ubj}.
 * Validated at construction: no empty, "." or ".." segments, no leading slash, no backslash, no control
 * characters. A key ending in a directory-like prefix ({@code indexes/experts/7/}) names a group of blobs
 * that {@link BlobStore#list} and {@link BlobStore#deletePrefix} treat together.
 */
public record BlobKey(String path) {

    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._=+-]{1,200}");

    public BlobKey {
        Objects.requireNonNull(path, "path");
        if (path.isEmpty() || path.length() > 1000) {
            throw new IllegalArgumentException("blob key must have 1..1000 characters");
        }
        for (String segment : path.split("/", -1)) {
            if (segment.equals(".")
                    || segment.equals("..")
                    || !SEGMENT.matcher(segment).matches()) {
                throw new IllegalArgumentException("blob key '" + path + "' has an invalid segment '" + segment + "'");
            }
        }
    }

    public static BlobKey of(String first, Object... more) {
        StringBuilder sb = new StringBuilder(first);
        for (Object part : more) {
            sb.append('/').append(part);
        }
        return new BlobKey(sb.toString());
    }

    @Override
    public String toString() {
        return path;
    }
}
