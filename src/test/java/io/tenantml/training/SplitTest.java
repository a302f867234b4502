package io.tenantml.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantml.dataset.ColumnSchema;
import io.tenantml.dataset.ColumnType;
import io.tenantml.dataset.DatasetSchema;
import io.tenantml.model.SplitProvenance;
import io.tenantml.model.SplitSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SplitTest {

    private static final long SEED = 42;
    private static final SplitSpec RANDOM = new SplitSpec(SplitSpec.Method.RANDOM, 0.2);
    private static final DatasetSchema SCHEMA = new DatasetSchema(
            List.of(
                    column("id", ColumnType.INTEGER),
                    column("x", ColumnType.NUMERIC),
                    column("city", ColumnType.CATEGORICAL),
                    column("at", ColumnType.TIMESTAMP),
                    column("churned", ColumnType.BOOLEAN)),
            null,
            "at");

    @Test
    void shouldNeverMoveAnExistingRowBetweenSidesWhenRowsAreAppended() {
        List<Object[]> first = rows(0, 1_000);
        List<Object[]> appended = new ArrayList<>(first);
        appended.addAll(rows(1_000, 2_500));

        Set<Integer> before = validating(Split.of(first, SCHEMA, RANDOM, SEED, null));
        Set<Integer> after = validating(Split.of(appended, SCHEMA, RANDOM, SEED, null));

        for (int i = 0; i < first.size(); i++) {
            assertThat(after.contains(i)).as("row %d", i).isEqualTo(before.contains(i));
        }
    }

    @Test
    void shouldKeepEachRowsSideWhenTheVersionIsReorderedOrShrunk() {
        List<Object[]> all = rows(0, 1_000);
        Set<Integer> sides = validating(Split.of(all, SCHEMA, RANDOM, SEED, null));
        List<Object[]> reversed = new ArrayList<>(all.subList(300, 1_000));
        java.util.Collections.reverse(reversed);

        Split split = Split.of(reversed, SCHEMA, RANDOM, SEED, null);

        Set<Integer> validating = validating(split);
        for (int r = 0; r < reversed.size(); r++) {
            int original = (int) (long) (Long) reversed.get(r)[0];
            assertThat(validating.contains(r)).as("row %d", original).isEqualTo(sides.contains(original));
        }
    }

    @Test
    void shouldPutIdenticalRowsOnTheSameSide() {
        List<Object[]> rows = new ArrayList<>();
        for (Object[] row : rows(0, 500)) {
            rows.add(row);
            rows.add(row.clone());
            rows.add(row.clone());
        }

        Set<Integer> validating = validating(Split.of(rows, SCHEMA, RANDOM, SEED, null));

        for (int i = 0; i < rows.size(); i += 3) {
            assertThat(validating.contains(i + 1)).isEqualTo(validating.contains(i));
            assertThat(validating.contains(i + 2)).isEqualTo(validating.contains(i));
        }
    }

    @Test
    void shouldHoldOutTheFractionWithinABinomialBound() {
        Split split = Split.of(rows(0, 10_000), SCHEMA, RANDOM, SEED, null);

        // the count is Binomial(10,000, 0.2): mean 2,000, standard deviation sqrt(10,000 x 0.2 x 0.8) = 40;
        // four standard deviations either side fail a fair hash once in about 16,000 seeds
        assertThat(split.validation().length).isBetween(2_000 - 160, 2_000 + 160);
        assertThat(split.train().length + split.validation().length).isEqualTo(10_000);
        assertThat(split.provenance().validationBelow()).isEqualTo(0.2);
    }

    @Test
    void shouldKeepAtLeastOneRowOnEachSideOfTinyInputs() {
        for (int n = 2; n <= 5; n++) {
            for (long seed = 0; seed < 200; seed++) {
                List<Object[]> rows = rows(0, n);
                Split split = Split.of(rows, SCHEMA, RANDOM, seed, null);
                assertThat(split.train()).as("n %d seed %d", n, seed).isNotEmpty();
                assertThat(split.validation()).as("n %d seed %d", n, seed).isNotEmpty();
                // the recorded threshold, moved or not, redoes the split exactly
                assertThat(Split.heldOutBy(split.provenance(), SCHEMA, rows)).isEqualTo(split.validation());
            }
        }
    }

    @Test
    void shouldRefuseToSplitRowsThatAllHoldTheSameValues() {
        Object[] row = rows(0, 1).get(0);
        assertThatThrownBy(() -> Split.of(List.of(row, row.clone(), row.clone()), SCHEMA, RANDOM, SEED, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("distinct");
    }

    @Test
    void shouldGiveTheSameSplitForTheSameRowsAndSeedAndAnotherForAnotherSeed() {
        List<Object[]> rows = rows(0, 2_000);
        Split once = Split.of(rows, SCHEMA, RANDOM, SEED, null);
        Split again = Split.of(rows(0, 2_000), SCHEMA, RANDOM, SEED, null);
        Split other = Split.of(rows, SCHEMA, RANDOM, SEED + 1, null);

        assertThat(again.validation()).isEqualTo(once.validation());
        assertThat(again.train()).isEqualTo(once.train());
        assertThat(other.validation()).isNotEqualTo(once.validation());
    }

    @Test
    void shouldPlaceARowWhereTheSpecifiedHashPutsItOnEveryJvm() {
        // a change here moves rows of every tenant between training and validation, and makes the recorded splits
        // of every registered version unusable for champion comparisons
        Object[] row = {7L, 2.5, "Oslo", Instant.parse("2024-01-05T10:00:00Z"), true};
        RowHash hash = RowHash.of(SCHEMA, RowHash.columnsOf(SCHEMA), SEED);
        assertThat(hash.position(row)).isEqualTo(GOLDEN_POSITION);
    }

    @Test
    void shouldHashRowsAlikeWhenColumnsAreReorderedOrAnIntegerColumnIsReadAsNumeric() {
        DatasetSchema reordered = new DatasetSchema(
                List.of(
                        column("churned", ColumnType.BOOLEAN),
                        column("at", ColumnType.TIMESTAMP),
                        column("id", ColumnType.NUMERIC),
                        column("city", ColumnType.CATEGORICAL),
                        column("x", ColumnType.NUMERIC)),
                null,
                "at");
        Object[] row = {7L, 2.5, "Oslo", Instant.parse("2024-01-05T10:00:00Z"), true};
        Object[] same = {true, Instant.parse("2024-01-05T10:00:00Z"), 7.0, "Oslo", 2.5};

        assertThat(RowHash.of(reordered, RowHash.columnsOf(reordered), SEED).position(same))
                .isEqualTo(RowHash.of(SCHEMA, RowHash.columnsOf(SCHEMA), SEED).position(row));
    }

    @Test
    void shouldFindTheRowsARandomSplitChampionDidNotTrainOnInALargerVersion() {
        List<Object[]> first = rows(0, 1_000);
        Split champion = Split.of(first, SCHEMA, RANDOM, SEED, null);
        List<Object[]> grown = new ArrayList<>(first);
        grown.addAll(rows(1_000, 3_000));

        int[] heldOut = Split.heldOutBy(champion.provenance(), SCHEMA, grown);

        Set<Integer> trainedOn = new HashSet<>();
        Arrays.stream(champion.train()).forEach(trainedOn::add);
        assertThat(Arrays.stream(heldOut).boxed().toList()).noneMatch(trainedOn::contains);
        // every one of version 1's validation rows is held out, and the new rows at the champion's fraction
        assertThat(Arrays.stream(heldOut).filter(i -> i < 1_000).toArray()).isEqualTo(champion.validation());
        assertThat(heldOut.length - champion.validation().length).isBetween(400 - 80, 400 + 80);
    }

    @Test
    void shouldFindTheRowsATimeSplitChampionDidNotTrainOn() {
        List<Object[]> first = rows(0, 100);
        List<Instant> times = first.stream().map(r -> (Instant) r[3]).toList();
        Split champion = Split.of(first, SCHEMA, new SplitSpec(SplitSpec.Method.TIME, 0.2), SEED, times);
        SplitProvenance split = champion.provenance();
        // rows are a day apart from 2024-01-01: the 80 earliest train, the last of them on day 79
        assertThat(split.trainedUntil())
                .isEqualTo(Instant.parse("2024-01-01T00:00:00Z").plusSeconds(79 * 86_400L));

        int[] heldOut = Split.heldOutBy(split, SCHEMA, rows(0, 150));

        assertThat(heldOut).isEqualTo(IntStream.range(80, 150).toArray());
    }

    @Test
    void shouldNotClaimToKnowTheHeldOutRowsOfAnUnrecordedOrForeignSplit() {
        List<Object[]> rows = rows(0, 10);
        assertThat(Split.heldOutBy(null, SCHEMA, rows)).isNull();
        SplitProvenance otherHash =
                new SplitProvenance(SplitSpec.Method.RANDOM, 0.2, SEED, "sha256/v9", List.of("id"), 0.2, null);
        assertThat(Split.heldOutBy(otherHash, SCHEMA, rows)).isNull();
        SplitProvenance missingColumn = new SplitProvenance(
                SplitSpec.Method.RANDOM, 0.2, SEED, SplitProvenance.ROW_HASH, List.of("id", "gone"), 0.2, null);
        assertThat(Split.heldOutBy(missingColumn, SCHEMA, rows)).isNull();
    }

    /**
     * Computed outside Java: a plain Python MurmurHash3 x64 128 (checked against the reference vector "hello" ->
     * h1 0xcbd8a7b341bd9b02) over seed 42 big-endian, then at, churned, city, id, x as RowHash writes them.
     */
    private static final double GOLDEN_POSITION = 0.030995578293414816;

    /** Rows with ids from..to-1; values drawn from a generator seeded by the id, a day apart in time. */
    static List<Object[]> rows(int from, int to) {
        List<Object[]> rows = new ArrayList<>();
        for (int id = from; id < to; id++) {
            SplittableRandom random = new SplittableRandom(id);
            rows.add(new Object[] {
                (long) id,
                Math.round(random.nextDouble() * 1000) / 10.0,
                List.of("Oslo", "Lima", "Pune").get(random.nextInt(3)),
                Instant.parse("2024-01-01T00:00:00Z").plusSeconds(id * 86_400L),
                random.nextBoolean()
            });
        }
        return rows;
    }

    private static Set<Integer> validating(Split split) {
        Set<Integer> set = new HashSet<>();
        Arrays.stream(split.validation()).forEach(set::add);
        return set;
    }

    private static ColumnSchema column(String name, ColumnType type) {
        return new ColumnSchema(name, type, true, null, null, null);
    }
}
