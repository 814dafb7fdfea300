package dev.jeton.secrets;

import dev.jeton.model.Secret;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class TokenKeyTest {
    private static final Instant T0 = Instant.parse("2026-12-07T21:00:00Z");
    private final RandomTokens random = new RandomTokens();

    @Test
    void ofWhenTimeOrderedTokensThenLookupsAreTheirFirst128BitsAndSortByIssueTime() {
        List<String> lookups = new ArrayList<>();
        Set<String> distinct = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            Secret token = random.timeOrderedSecret(T0.plusMillis(i / 4));   // four a millisecond
            assertThat(token.value()).matches("[A-Za-z0-9_-]{43}");
            TokenKey key = TokenKey.of(token);
            assertThat(key.lookup()).hasSize(32).startsWith(String.format("%012x", T0.plusMillis(i / 4).toEpochMilli()));
            assertThat(key.hash()).isEqualTo(HexFormat.of().formatHex(SecretHash.of(token)));
            lookups.add(key.lookup().substring(0, 12));
            distinct.add(key.lookup());
        }
        assertThat(lookups).isSorted();
        assertThat(distinct).hasSize(2000);
    }

    @Test
    void ofWhenTheTokenIsNot256BitsOfUrlSafeBase64ThenItsLookupIsItsHash() {
        for (String other : List.of("eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhZGEifQ.c2ln", "short", "",
                "a".repeat(42) + "=", "+".repeat(43), "a".repeat(44))) {
            TokenKey key = TokenKey.of(new Secret(other));
            assertThat(key.lookup()).as(other).isEqualTo(key.hash()).hasSize(64);
        }
    }

    @Test
    void toStringWhenLoggedThenNeitherKeyShows() {
        TokenKey key = TokenKey.of(random.timeOrderedSecret(T0));
        assertThat(key.toString()).doesNotContain(key.lookup()).doesNotContain(key.hash());
    }
}
