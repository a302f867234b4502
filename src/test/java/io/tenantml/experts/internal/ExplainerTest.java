package io.tenantml.experts.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantml.experts.RankerKind;
import io.tenantml.experts.RankingSettings;
import io.tenantml.experts.Recommendation;
import java.util.List;
import java.util.Set;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.junit.jupiter.api.Test;

/** What a recommendation shows as evidence of an expert's answers. */
class ExplainerTest {

    private static final String LONG = "parser " + "x".repeat(ExpertIndex.EXCERPT_CHARS);

    @Test
    void shouldShowAShortAnswerWholeAndALongOneCutWithAnEllipsis() throws Exception {
        List<ExpertDoc> docs = List.of(
                new ExpertDoc("short", "parser fix", "ann", 1_000, List.of()),
                new ExpertDoc("long", LONG, "bob", 2_000, List.of()));
        ByteBuffersDirectory dir = new ByteBuffersDirectory();
        ExpertIndex.write(docs, List.of(new float[] {1, 0}, new float[] {0, 1}), dir);
        try (ExpertIndex index = ExpertIndex.open(dir)) {
            Generation generation = new Generation(null, index, null, RankerKind.UNLEARNED, RankingSettings.DEFAULTS);
            Recommendation r = Explainer.recommend(
                    generation, "parser", new float[] {1, 0}, List.of(), 5, Set.of(), e -> true, false);
            assertThat(r.experts())
                    .extracting(
                            e -> e.evidence().get(0).id(),
                            e -> e.evidence().get(0).excerpt())
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple("short", "parser fix"),
                            org.assertj.core.groups.Tuple.tuple(
                                    "long", LONG.substring(0, ExpertIndex.EXCERPT_CHARS) + "…"));
            // the open generation weighs its excerpts besides its files in the cache of open indexes
            assertThat(generation.bytes()).isGreaterThan(index.bytes() + "parser fix".length() + 240);
        }
    }

    @Test
    void shouldNeverCutACharacterOutsideTheBasicPlaneInHalf() {
        String face = "\uD83D\uDE00"; // one character, two UTF-16 units
        String straddling = "a".repeat(ExpertIndex.EXCERPT_CHARS - 1) + face + "more";
        assertThat(ExpertIndex.excerpt(straddling)).isEqualTo("a".repeat(ExpertIndex.EXCERPT_CHARS - 1) + "…");
        String inside = "a".repeat(ExpertIndex.EXCERPT_CHARS - 2) + face + "more";
        assertThat(ExpertIndex.excerpt(inside)).isEqualTo(inside.substring(0, ExpertIndex.EXCERPT_CHARS) + "…");
        String exact = "a".repeat(ExpertIndex.EXCERPT_CHARS);
        assertThat(ExpertIndex.excerpt(exact)).isEqualTo(exact);
    }
}
