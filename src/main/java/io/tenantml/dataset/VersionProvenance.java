package io.tenantml.dataset;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where a version's rows came from when the platform made the version rather than an upload: the rows of an
 * earlier version with records appended from a source, and the lineage of those records. Stored with the
 * version and shown with it ({@code GET .../datasets/{d}/versions/{v}}); absent on uploaded versions.
 *
 * @param source       what the appended records are
 * @param model        the model whose records they are
 * @param appendedTo   the version whose rows come first, unchanged (null: the dataset had none)
 * @param appendedRows how many records were appended after them
 * @param windows      the hourly log windows the records came from, oldest first
 * @param skipped      records of those windows left out, by reason (e.g. {@code unseen-category}: the log keeps
 *                     no raw value of a category training never saw)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VersionProvenance(
        VersionSource source,
        String model,
        Integer appendedTo,
        long appendedRows,
        List<SourceWindow> windows,
        Map<String, Long> skipped) {

    public VersionProvenance {
        Objects.requireNonNull(source, "source");
        windows = windows == null ? List.of() : List.copyOf(windows);
        skipped = skipped == null ? Map.of() : Map.copyOf(skipped);
    }

    /**
     * One log window: the hour starting at {@code start} of model version {@code modelVersion}, and how many of
     * its records were appended.
     */
    public record SourceWindow(Instant start, Instant end, int modelVersion, long records) {}
}
