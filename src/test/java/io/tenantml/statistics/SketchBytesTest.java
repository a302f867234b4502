package io.tenantml.statistics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantml.statistics.ColumnSketch.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The stored format. A committed golden file, written by format version 1 from the fixed table below, must be
 * written byte for byte by the current code and read back with the answers that table gives: a change of the
 * format fails here, and then needs a new format version whose reader still reads this file.
 * <p>
 * To write the golden file again (only together with a new format version):
 * {@code ./mvnw test -Dtest=SketchBytesTest -Dtenantml.statistics.write-golden=true}.
 */
class SketchBytesTest {

    private static final String GOLDEN = "/statistics/table-sketch-v1.bin";

    /** Deterministic: 150 numbers are below KLL's first compaction, and HLL and frequent items are deterministic. */
    static TableSketch goldenTable() {
        SplittableRandom random = new SplittableRandom(20261129L);
        ColumnSketch amount = new ColumnSketch(Kind.NUMERIC);
        ColumnSketch paid = new ColumnSketch(Kind.CATEGORICAL);
        ColumnSketch country = new ColumnSketch(Kind.CATEGORICAL, new SketchSettings(64, 10, 16, 4));
        ColumnSketch note = new ColumnSketch(Kind.TEXT);
        for (int i = 0; i < 150; i++) {
            amount.add(Math.round(Math.exp(3 + random.nextGaussian()) * 100) / 100.0);
            paid.add(Boolean.toString(random.nextInt(4) != 0));
            country.add(i % 3 == 0 ? "CH" : "c" + random.nextInt(30));
            note.add("note " + random.nextInt(120));
            if (i % 25 == 0) {
                amount.addMissing();
                note.addMissing();
            }
        }
        return new TableSketch()
                .add("amount", amount)
                .add("paid", paid)
                .add("country", country)
                .add("note", note);
    }

    @Test
    void shouldWriteTheGoldenBytesOfFormatVersion1() throws IOException {
        byte[] bytes = goldenTable().toBytes();
        if (Boolean.getBoolean("tenantml.statistics.write-golden")) {
            Files.write(Path.of("src/test/resources" + GOLDEN), bytes);
        }
        assertThat(bytes).isEqualTo(golden());
    }

    @Test
    void shouldReadTheGoldenBytesWithTheAnswersOfTheTableTheyWereWrittenFrom() throws IOException {
        TableSketch read = TableSketch.fromBytes(golden());
        TableSketch expected = goldenTable();

        assertThat(read.columnNames()).containsExactly("amount", "paid", "country", "note");
        ColumnSketch amount = read.column("amount").orElseThrow();
        ColumnSketch expectedAmount = expected.column("amount").orElseThrow();
        assertThat(amount.count()).isEqualTo(150);
        assertThat(amount.missing()).isEqualTo(6);
        // Below the first compaction the sketch keeps every value: its quantiles are the exact ones.
        assertThat(amount.quantiles(Samples.RANKS)).isEqualTo(expectedAmount.quantiles(Samples.RANKS));
        assertThat(amount.moments().mean()).isEqualTo(expectedAmount.moments().mean());
        assertThat(amount.moments().max()).isEqualTo(expectedAmount.moments().max());
        assertThat(amount.distinct()).isEqualTo(expectedAmount.distinct());

        ColumnSketch paid = read.column("paid").orElseThrow();
        assertThat(paid.hasExactValueCounts()).isTrue();
        assertThat(paid.mostFrequent(5))
                .isEqualTo(expected.column("paid").orElseThrow().mostFrequent(5));

        ColumnSketch country = read.column("country").orElseThrow();
        assertThat(country.hasExactValueCounts()).isFalse();
        assertThat(country.settings()).isEqualTo(new SketchSettings(64, 10, 16, 4));
        assertThat(country.mostFrequent(1).get(0).value()).isEqualTo("CH");
        assertThat(country.mostFrequent(20))
                .isEqualTo(expected.column("country").orElseThrow().mostFrequent(20));

        ColumnSketch note = read.column("note").orElseThrow();
        assertThat(note.distinct())
                .isEqualTo(expected.column("note").orElseThrow().distinct());
        assertThat(note.missing()).isEqualTo(6);
    }

    @Test
    void shouldRefuseBytesItCannotReadSayingWhy() throws IOException {
        byte[] golden = golden();
        byte[] foreign = golden.clone();
        foreign[0] = 'X';
        assertThatThrownBy(() -> TableSketch.fromBytes(foreign))
                .isInstanceOf(SketchFormatException.class)
                .hasMessageContaining("Not a TenantML summary: magic");
        byte[] newer = golden.clone();
        newer[4] = 2;
        assertThatThrownBy(() -> TableSketch.fromBytes(newer))
                .isInstanceOf(SketchFormatException.class)
                .hasMessageContaining("format version 2 is not readable by this code, which reads versions 1 to 1");
        assertThatThrownBy(() -> ColumnSketch.fromBytes(golden))
                .isInstanceOf(SketchFormatException.class)
                .hasMessageContaining("Expected a summary of kind COLUMN but the bytes hold TABLE");
        for (int length : List.of(0, 5, 6, 10, golden.length / 2, golden.length - 1)) {
            byte[] cut = Arrays.copyOf(golden, length);
            assertThatThrownBy(() -> TableSketch.fromBytes(cut))
                    .as("cut to %d bytes", length)
                    .isInstanceOf(SketchFormatException.class);
        }
        byte[] longer = Arrays.copyOf(golden, golden.length + 1);
        assertThatThrownBy(() -> TableSketch.fromBytes(longer))
                .isInstanceOf(SketchFormatException.class)
                .hasMessageContaining("1 unexpected bytes after its end");
        assertThatThrownBy(() -> TableSketch.fromBytes(null)).hasMessageContaining("bytes");
    }

    @Test
    void shouldMergeTablesColumnByColumnAndRefuseAKindClash() {
        TableSketch day = new TableSketch();
        for (int hour = 0; hour < 3; hour++) {
            day.merge(TableSketch.fromBytes(goldenTable().toBytes()));
        }
        assertThat(day.column("amount").orElseThrow().count()).isEqualTo(450);
        assertThat(day.column("country").orElseThrow().mostFrequent(1).get(0).estimate())
                .isEqualTo(3 * 50);

        TableSketch clash = new TableSketch().add("amount", new ColumnSketch(Kind.TEXT));
        assertThatThrownBy(() -> day.merge(clash))
                .hasMessageContaining("Column 'amount' is NUMERIC here and TEXT in the table merged into it");
        assertThat(day.column("amount").orElseThrow().count()).isEqualTo(450);
        assertThatThrownBy(() ->
                        new TableSketch().add("a", new ColumnSketch(Kind.TEXT)).add("a", new ColumnSketch(Kind.TEXT)))
                .hasMessageContaining("already has a column named 'a'");
    }

    private static byte[] golden() throws IOException {
        try (InputStream in = SketchBytesTest.class.getResourceAsStream(GOLDEN)) {
            assertThat(in).as("golden file %s", GOLDEN).isNotNull();
            return in.readAllBytes();
        }
    }
}
