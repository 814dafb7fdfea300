package dev.jeton.engine.device;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 8628 6.1 user codes: what is generated, what typed input is read as, and that no input makes the reader throw. */
class UserCodesTest {
    @Test
    void generateWhenCalledThenEightUnambiguousLettersShownAsTwoGroups() {
        UserCodes codes = new UserCodes();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String code = codes.generate();
            assertThat(code).matches("[BCDFGHJKLMNPQRSTVWXZ]{8}");
            assertThat(UserCodes.display(code)).matches("[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}");
            assertThat(UserCodes.normalize(UserCodes.display(code))).isEqualTo(code);
            seen.add(code);
        }
        assertThat(seen).hasSizeGreaterThan(990);
    }

    @ParameterizedTest
    @ValueSource(strings = {"BCDF-GHJK", "bcdf-ghjk", "BCDFGHJK", "bcdfghjk", " BCDF GHJK ", "Bc-Df-Gh-Jk"})
    void normalizeWhenTypedWithAnyCaseSpacesOrHyphensThenTheSameCode(String typed) {
        assertThat(UserCodes.normalize(typed)).isEqualTo("BCDFGHJK");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "BCDF-GHJ", "BCDF-GHJKL", "ABCD-EFGH", "BCDF-GHJ1", "BCDF_GHJK", "BCDF-GHJK-BCDF-GHJK-BCDF-GHJK-BCDF", "ВCDF-GHJK"})
    void normalizeWhenNotAUserCodeThenNull(String typed) {
        assertThat(UserCodes.normalize(typed)).isNull();
    }

    @Test
    void normalizeWhenFedRandomTextThenNeverThrows() {
        Random random = new Random(8628);
        for (int i = 0; i < 20_000; i++) {
            char[] text = new char[random.nextInt(40)];
            for (int j = 0; j < text.length; j++) text[j] = (char) (random.nextBoolean() ? random.nextInt(128) : random.nextInt(0x3000));
            String normalized = UserCodes.normalize(new String(text));
            if (normalized != null) assertThat(normalized).matches("[BCDFGHJKLMNPQRSTVWXZ]{8}");
        }
        assertThat(UserCodes.normalize(null)).isNull();
    }
}
