package io.tenantml.experts;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tenantml.dataset.ColumnSchema;
import io.tenantml.dataset.ColumnType;
import io.tenantml.dataset.DatasetSchema;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A recommender: who answered what, read from a tenant dataset.
 *
 * @param dataset         the dataset of answered questions (its latest version is indexed)
 * @param text            text or categorical columns embedded and searched, joined by a blank line
 * @param expert          the column naming who answered
 * @param time            the timestamp column of the answer (temporal holdout, recency)
 * @param tags            optional column of tags separated by ';' or ','
 * @param id              optional column identifying an answer in evidence; default the dataset's primary key,
 *                        else the row's line
 * @param schedule        optional Quartz cron: rebuild when the dataset has a new version
 * @param halfLifeDays    recency prior half-life (default 180)
 * @param dailyCap        optional: most recommendations of one expert per UTC day
 * @param holdoutFraction share of the newest answers held out for evaluation (default 0.1)
 * @param gateTolerance   a build whose served MRR@10 is below the current one's by more than this is not made
 *                        current (default 0.02)
 * @param reranker        train the learned re-ranker (default true; it serves only if it beats the unlearned)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RecommenderSpec(
        String dataset,
        List<String> text,
        String expert,
        String time,
        String tags,
        String id,
        String schedule,
        Double halfLifeDays,
        Integer dailyCap,
        Double holdoutFraction,
        Double gateTolerance,
        Boolean reranker) {

    public RecommenderSpec {
        if (dataset == null || dataset.isBlank()) {
            throw new InvalidRecommenderException("dataset", "dataset is required");
        }
        if (text == null || text.isEmpty()) {
            throw new InvalidRecommenderException("text", "text is required: one or more text columns");
        }
        text = List.copyOf(text);
        if (expert == null || expert.isBlank()) {
            throw new InvalidRecommenderException("expert", "expert is required: the column naming who answered");
        }
        if (time == null || time.isBlank()) {
            throw new InvalidRecommenderException("time", "time is required: the timestamp column of the answer");
        }
        schedule = schedule == null || schedule.isBlank() ? null : schedule.trim();
        if (halfLifeDays != null && !(halfLifeDays > 0 && halfLifeDays <= 36_500)) {
            throw new InvalidRecommenderException(
                    "halfLifeDays", "halfLifeDays must be in (0, 36500], was " + halfLifeDays);
        }
        if (dailyCap != null && dailyCap < 1) {
            throw new InvalidRecommenderException("dailyCap", "dailyCap must be at least 1, was " + dailyCap);
        }
        if (holdoutFraction != null && !(holdoutFraction >= 0.01 && holdoutFraction <= 0.5)) {
            throw new InvalidRecommenderException(
                    "holdoutFraction", "holdoutFraction must be in [0.01, 0.5], was " + holdoutFraction);
        }
        if (gateTolerance != null && !(gateTolerance >= 0 && gateTolerance <= 1)) {
            throw new InvalidRecommenderException(
                    "gateTolerance", "gateTolerance must be in [0, 1], was " + gateTolerance);
        }
    }

    public double holdout() {
        return holdoutFraction == null ? 0.1 : holdoutFraction;
    }

    public double tolerance() {
        return gateTolerance == null ? 0.02 : gateTolerance;
    }

    public boolean trainsReranker() {
        return reranker == null || reranker;
    }

    /**
     * The fields that decide what an index generation contains (which rows, their text, expert, time, tags and
     * ids) and differ between this spec and {@code built}, the spec a generation was built with; empty when a
     * generation built with {@code built} is still what this spec would index. Ranking and serving settings
     * (half-life, daily cap, schedule, holdout, gate, re-ranker) are not among them: they apply without a rebuild
     * or at the next one.
     */
    public List<String> indexChanges(RecommenderSpec built) {
        List<String> changed = new java.util.ArrayList<>();
        if (!dataset.equals(built.dataset())) {
            changed.add("dataset");
        }
        if (!text.equals(built.text())) {
            changed.add("text");
        }
        if (!expert.equals(built.expert())) {
            changed.add("expert");
        }
        if (!time.equals(built.time())) {
            changed.add("time");
        }
        if (!java.util.Objects.equals(tags, built.tags())) {
            changed.add("tags");
        }
        if (!java.util.Objects.equals(id, built.id())) {
            changed.add("id");
        }
        return changed;
    }

    /** Checks every column against the dataset's schema; throws naming the first field that is wrong. */
    public void validate(DatasetSchema schema) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < text.size(); i++) {
            String field = "text[" + i + "]";
            ColumnType type = column(schema, field, text.get(i));
            if (type != ColumnType.TEXT && type != ColumnType.CATEGORICAL) {
                throw new InvalidRecommenderException(
                        field,
                        field + " column '" + text.get(i) + "' is " + type.wireName() + ", not text or categorical");
            }
            if (!seen.add(text.get(i))) {
                throw new InvalidRecommenderException(field, "duplicate text column '" + text.get(i) + "'");
            }
        }
        int expertAsText = text.indexOf(expert);
        if (expertAsText >= 0) {
            // the answer itself as evidence: a question naming someone would match them, not their subject
            throw new InvalidRecommenderException(
                    "text[" + expertAsText + "]",
                    "text[" + expertAsText + "] column '" + expert + "' is the expert column; the text to match"
                            + " questions against must be what was asked or answered, not who answered it");
        }
        ColumnType expertType = column(schema, "expert", expert);
        if (expertType != ColumnType.CATEGORICAL && expertType != ColumnType.TEXT && expertType != ColumnType.INTEGER) {
            throw new InvalidRecommenderException(
                    "expert",
                    "expert column '" + expert + "' is " + expertType.wireName()
                            + ", not categorical, text or integer");
        }
        if (column(schema, "time", time) != ColumnType.TIMESTAMP) {
            throw new InvalidRecommenderException("time", "time column '" + time + "' is not a timestamp column");
        }
        if (tags != null) {
            ColumnType tagType = column(schema, "tags", tags);
            if (tagType != ColumnType.CATEGORICAL && tagType != ColumnType.TEXT) {
                throw new InvalidRecommenderException("tags", "tags column '" + tags + "' is not text or categorical");
            }
        }
        if (id != null) {
            column(schema, "id", id);
        }
    }

    private static ColumnType column(DatasetSchema schema, String field, String name) {
        return schema.column(name)
                .map(ColumnSchema::type)
                .orElseThrow(() -> new InvalidRecommenderException(field, "unknown column '" + name + "' in " + field));
    }
}
