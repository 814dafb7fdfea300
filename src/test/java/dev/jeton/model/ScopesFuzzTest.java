package dev.jeton.model;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.charset.StandardCharsets;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 6749 3.3 scope lists: a set of scope-tokens or INVALID_SCOPE; formatting and parsing again changes nothing. */
class ScopesFuzzTest {

    @FuzzTest(maxDuration = "1m")
    void parseWhenAnyInputThenScopeTokensThatRoundTripOrInvalidScope(byte[] input) {
        String wire = new String(input, StandardCharsets.UTF_8);
        Set<String> scopes;
        try {
            scopes = Scopes.parse(wire);
        } catch (Failure f) {
            assertThat(f.reason()).isEqualTo(Reason.INVALID_SCOPE);
            assertThat(f.param()).isEqualTo("scope");
            return;
        }
        if (scopes == null) {
            assertThat(wire).matches(" *");
            return;
        }
        assertThat(scopes).isNotEmpty().allSatisfy(s -> assertThat(s).matches("[\\x21\\x23-\\x5B\\x5D-\\x7E]+"));
        assertThat(Scopes.parse(Scopes.format(scopes))).containsExactlyElementsOf(scopes);
    }
}
