package dev.jeton.dialect.registry;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jeton.model.AccessScope;
import dev.jeton.model.Failure;
import dev.jeton.model.Reason;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Docker's scope grammar on any input: scopes or INVALID_REQUEST about {@code scope}, never
 * another exception; parsed scopes are well-formed and their wire form parses back to them.
 */
class RegistryScopesFuzzTest {

    @FuzzTest(maxDuration = "1m")
    void parseWhenAnyScopeParametersThenScopesThatRoundTripOrInvalidRequest(FuzzedDataProvider data) {
        List<String> parameters = new ArrayList<>();
        int count = data.consumeInt(0, 4);
        for (int i = 0; i < count; i++) parameters.add(data.consumeString(300));
        List<AccessScope> scopes;
        try {
            scopes = RegistryScopes.parse(parameters);
        } catch (Failure f) {
            assertThat(f.reason()).isEqualTo(Reason.INVALID_REQUEST);
            assertThat(f.param()).isEqualTo("scope");
            assertThat(f.detail().length()).as("the echo of a bad scope is cut short").isLessThan(160);
            return;
        }
        assertThat(scopes).hasSizeLessThanOrEqualTo(64).allSatisfy(s -> {
            assertThat(s.type()).matches("[A-Za-z0-9._-]+");
            if (s.resourceClass() != null) assertThat(s.resourceClass()).matches("[A-Za-z0-9._-]+");
            assertThat(s.name()).isNotEmpty().doesNotContain(" ");
            assertThat(s.actions()).allSatisfy(a -> assertThat(a).isNotEmpty().doesNotContain(",").doesNotContain(" "));
        });
        String wire = scopes.stream().map(AccessScope::format).collect(Collectors.joining(" "));
        assertThat(RegistryScopes.parse(wire.isEmpty() ? List.of() : List.of(wire))).isEqualTo(scopes);
    }
}
