package dev.jeton.support;

import dev.jeton.engine.Accounts.ClientSpec;
import dev.jeton.model.GrantType;
import dev.jeton.model.RefreshPolicy;
import dev.jeton.model.Secret;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A second Jeton as the upstream identity provider of a first, set up as an operator does it:
 * the first registered at the upstream as a confidential client with its callback URL, the client
 * secret in a file, and {@code jeton upstream add} on the first one's data directory.
 */
public final class UpstreamJetons {
    private UpstreamJetons() {
    }

    /** Adds {@code upstream} to {@code jeton} as {@code name}, with groups from the {@code groups} claim; the upstream's client is {@code clientId}. */
    public static InProcessCli.Result link(Jetons.Running upstream, Jetons.Running jeton, Path jetonDataDir, String name, String clientId,
                                           Path workDir) throws Exception {
        Secret clientSecret = upstream.wiring().admin().accounts().addClient(new ClientSpec(clientId, Set.of(GrantType.AUTHORIZATION_CODE),
                Set.of("openid", "profile", "email"), List.of(), List.of(jeton.baseUrl() + "/oidc/upstream/callback"), null, null,
                RefreshPolicy.ROTATING, false)).secret();
        Path secretFile = Files.writeString(workDir.resolve(name + "-secret.txt"), clientSecret.value() + "\n");
        InProcessCli.Result added = InProcessCli.run(null, "upstream", "add", name, "--data-dir", jetonDataDir.toString(),
                "--issuer", upstream.baseUrl(), "--client-id", clientId, "--client-secret-file", secretFile.toString(),
                "--claim-groups", "groups", "--json");
        assertThat(added.code()).as(added.err()).isZero();
        return added;
    }
}
