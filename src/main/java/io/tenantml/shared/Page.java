package io.tenantml.shared;

import java.util.List;
import java.util.Objects;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One page of a list, the one convention of every list endpoint: {@code items} in the list's stable order and
 * {@code next}, the opaque cursor of the following page, absent on the last page. A client pages by passing
 * {@code next} back as {@code cursor} until it is absent.
 */
@Schema(description = "One page of a list; pass `next` back as `cursor` for the following page.")
public record Page<T>(
        @Schema(description = "This page's items, in the list's stable order")
        List<T> items,

        @Schema(description = "Cursor of the next page; absent on the last page", nullable = true)
        String next) {

    public Page {
        items = List.copyOf(Objects.requireNonNull(items, "items"));
    }

    public static <T> Page<T> last(List<T> items) {
        return new Page<>(items, null);
    }
}
