package io.tenantml.shared.rest;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.core.EntityTag;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ByteRangesTest {

    private static final EntityTag TAG = new EntityTag("abc123");

    @ParameterizedTest(name = "{0} of 1000 bytes is bytes {1}-{2}")
    @CsvSource({
        "bytes=0-99, 0, 99",
        "bytes=100-, 100, 999",
        "bytes=-10, 990, 999",
        "bytes=-5000, 0, 999", // a suffix longer than the file is the whole file, as a part
        "bytes=900-5000, 900, 999", // a last byte past the end is the end
        "bytes=999-999, 999, 999",
        "BYTES = 5 - 6 , 5, 6",
        "bytes=0-99999999999999999999, 0, 999" // past what a long holds
    })
    void shouldServeOneRangeClampedToTheFile(String range, long first, long last) {
        assertThat(ByteRanges.answer(range, null, TAG, 1000)).isEqualTo(new ByteRanges.Part(first, last, 1000));
    }

    @ParameterizedTest(name = "{0} is the whole file")
    @CsvSource(
            value = {"NULL", "'  '", "items=0-5", "'bytes=0-1,5-6'", "'bytes=0-1, 5-6'"},
            nullValues = "NULL")
    void shouldAnswerTheWholeFileToNoRangeAnotherUnitOrSeveralRanges(String range) {
        assertThat(ByteRanges.answer(range, null, TAG, 1000)).isEqualTo(new ByteRanges.Whole());
    }

    @ParameterizedTest(name = "{0} is refused")
    @CsvSource({"bytes=abc", "bytes=5", "bytes=-", "bytes=5-2", "bytes=1000-", "bytes=-0", "bytes=+1-2", "bytes=1-2x"})
    void shouldRefuseAMalformedRangeOrOnePastTheEnd(String range) {
        ByteRanges.Answer answer = ByteRanges.answer(range, null, TAG, 1000);
        assertThat(answer).isInstanceOf(ByteRanges.Unsatisfiable.class);
        assertThat(((ByteRanges.Unsatisfiable) answer).contentRange()).isEqualTo("bytes */1000");
        assertThat(((ByteRanges.Unsatisfiable) answer).reason()).startsWith("Range ");
    }

    @Test
    void shouldServeTheRangeOnlyWhileIfRangeIsTheFilesStrongEntityTag() {
        assertThat(ByteRanges.answer("bytes=10-", "\"abc123\"", TAG, 1000))
                .isEqualTo(new ByteRanges.Part(10, 999, 1000));
        assertThat(ByteRanges.answer("bytes=10-", "\"other\"", TAG, 1000)).isEqualTo(new ByteRanges.Whole());
        assertThat(ByteRanges.answer("bytes=10-", "W/\"abc123\"", TAG, 1000)).isEqualTo(new ByteRanges.Whole());
        assertThat(ByteRanges.answer("bytes=10-", "Wed, 21 Oct 2026 07:28:00 GMT", TAG, 1000))
                .isEqualTo(new ByteRanges.Whole());
        assertThat(ByteRanges.answer("bytes=10-", "\"abc123\"", null, 1000)).isEqualTo(new ByteRanges.Whole());
    }

    @Test
    void shouldRefuseEveryRangeOfAnEmptyFile() {
        assertThat(ByteRanges.answer("bytes=0-", null, TAG, 0)).isInstanceOf(ByteRanges.Unsatisfiable.class);
        assertThat(ByteRanges.answer("bytes=-1", null, TAG, 0)).isInstanceOf(ByteRanges.Unsatisfiable.class);
    }

    @Test
    void shouldCopyExactlyThePartAndSayWhenTheFileIsShorter() throws Exception {
        byte[] file = "0123456789".getBytes();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteRanges.copy(new ByteArrayInputStream(file), 3, 4, out);
        assertThat(out.toString()).isEqualTo("3456");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> ByteRanges.copy(new ByteArrayInputStream(file), 8, 4, new ByteArrayOutputStream()))
                .isInstanceOf(EOFException.class);
    }
}
