package dev.jeton.dialect.registry;

import dev.jeton.model.AccessScope;
import dev.jeton.model.Failure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RegistryScopesTest {
    @Test
    void parseWhenNameHasColonsAndPortThenTypeEndsAtFirstAndActionsStartAfterLast() {
        assertThat(RegistryScopes.parseOne("repository:localhost:5000/team/app:pull,push"))
                .isEqualTo(new AccessScope("repository", null, "localhost:5000/team/app", List.of("pull", "push")));
    }

    @Test
    void parseWhenClassAndCatalogThenUnderstood() {
        assertThat(RegistryScopes.parseOne("repository(plugin):vieux/sshfs:pull"))
                .isEqualTo(new AccessScope("repository", "plugin", "vieux/sshfs", List.of("pull")));
        assertThat(RegistryScopes.parseOne("registry:catalog:*")).isEqualTo(new AccessScope("registry", null, "catalog", List.of("*")));
    }

    @Test
    void parseWhenSpaceSeparatedAndRepeatedThenAllInOrder() {
        assertThat(RegistryScopes.parse(List.of("repository:a:pull repository:b:push", "repository:c:pull")))
                .extracting(AccessScope::name).containsExactly("a", "b", "c");
        assertThat(RegistryScopes.parse(List.of())).isEmpty();
    }

    @Test
    void parseWhenSpacesAroundAndBetweenThenOnlySpacesSeparate() {
        assertThat(RegistryScopes.parse(List.of("  repository:a:pull   repository:b:push  "))).extracting(AccessScope::name)
                .containsExactly("a", "b");
        assertThatThrownBy(() -> RegistryScopes.parse(List.of("repository:a:pull\trepository:b:push")))
                .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.detail()).doesNotContain("\t"));
    }

    @Test
    void parseWhenNoActionsThenEmptyActions() {
        assertThat(RegistryScopes.parseOne("repository:a:").actions()).isEmpty();
    }

    @Test
    void parseWhenTypesAndActionsReachBeyondDistributionsCharactersThenScopesAllTheSame() {
        assertThat(RegistryScopes.parseOne("artifact-repository:team/chart:pull"))
                .isEqualTo(new AccessScope("artifact-repository", null, "team/chart", List.of("pull")));
        assertThat(RegistryScopes.parseOne("repository:team/app:metadataRead,delete"))
                .isEqualTo(new AccessScope("repository", null, "team/app", List.of("metadataRead", "delete")));
        assertThat(RegistryScopes.parseOne("Repository(Plugin_1.x):app:pull"))
                .isEqualTo(new AccessScope("Repository", "Plugin_1.x", "app", List.of("pull")));
        assertThat(RegistryScopes.parseOne("repository:team/a>b?c~d:pull").name()).isEqualTo("team/a>b?c~d");
    }

    @ParameterizedTest
    @ValueSource(strings = {"repository", "repository:app", ":app:pull", "repository::pull", "repo(x:y:pull", "repository():a:pull",
            "(plugin):a:pull", "repository(plugin)x:a:pull", "repository(a(b)):a:pull", "team/app:a:pull", "répo:a:pull", "*:a:pull",
            "repository:app:pull\t", "\trepository:app:pull", "repository:a\u0000b:pull", "repository:app:pu\u007fll"})
    void parseWhenNotAScopeThenInvalidRequestNamingIt(String scope) {
        assertThatThrownBy(() -> RegistryScopes.parseOne(scope)).isInstanceOfSatisfying(Failure.class, f -> {
            assertThat(f.param()).isEqualTo("scope");
            assertThat(f.detail()).startsWith("invalid scope '" + scope.replaceAll("\\p{Cntrl}", "?") + "': ");
        });
    }
}
