package dev.jeton.secrets;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class RandomTokensTest {

    @Test
    void idWhenManyMadeThenNoneStartsWithADashAndAllDiffer() {
        // 1 in 64 base64url ids started with '-', which the CLI then read as an option.
        RandomTokens random = new RandomTokens();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 5000; i++) {
            String id = random.id();
            assertThat(id).hasSize(22).matches("[A-Za-z0-9_][A-Za-z0-9_-]{21}");
            ids.add(id);
        }
        assertThat(ids).hasSize(5000);
    }
}
