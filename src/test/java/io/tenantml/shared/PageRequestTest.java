package io.tenantml.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PageRequestTest {

    @Test
    void shouldWalkEveryItemExactlyOnceByCursor() {
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < 2_500; i++) {
            all.add(i);
        }
        List<Integer> seen = new ArrayList<>();
        PageRequest request = PageRequest.first(1000);
        int pages = 0;
        while (true) {
            List<String> after = request.after("numbers", 1);
            int from = after == null ? 0 : Integer.parseInt(after.get(0)) + 1;
            List<Integer> fetched = all.subList(from, Math.min(all.size(), from + request.fetchSize()));
            Page<Integer> page = request.page(fetched, "numbers", n -> List.of(Integer.toString(n)));
            seen.addAll(page.items());
            pages++;
            if (page.next() == null) {
                break;
            }
            request = new PageRequest(1000, page.next());
        }
        assertThat(seen).isEqualTo(all);
        assertThat(pages).isEqualTo(3);
    }

    @Test
    void shouldRefuseALimitOutsideItsRangeNamingTheParameter() {
        for (int limit : new int[] {0, -1, 1001}) {
            assertThatThrownBy(() -> PageRequest.of(limit, null))
                    .isInstanceOfSatisfying(
                            ProblemException.class,
                            e -> assertThat(e.problem().extensions()).containsEntry("parameter", "limit"));
        }
        assertThat(PageRequest.of(null, null).limit()).isEqualTo(PageRequest.DEFAULT_LIMIT);
    }

    @Test
    void shouldRefuseACursorOfAnotherListOrMadeUp() {
        String cursor = PageRequest.cursor("trainings", List.of("2026-01-01T00:00:00Z", "id-1"));
        assertThat(new PageRequest(10, cursor).after("trainings", 2)).containsExactly("2026-01-01T00:00:00Z", "id-1");
        for (String bad : new String[] {
            PageRequest.cursor("datasets", List.of("a", "b")),
            "not base64 !",
            cursor.substring(0, 5),
            "",
            "x".repeat(3000)
        }) {
            assertThatThrownBy(() -> new PageRequest(10, bad).after("trainings", 2))
                    .as(bad)
                    .isInstanceOfSatisfying(
                            ProblemException.class,
                            e -> assertThat(e.problem().extensions()).containsEntry("parameter", "cursor"));
        }
    }
}
