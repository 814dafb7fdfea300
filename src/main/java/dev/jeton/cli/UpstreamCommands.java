package dev.jeton.cli;

import dev.jeton.AdminWiring;
import dev.jeton.engine.upstream.UpstreamAdmin;
import dev.jeton.engine.upstream.UpstreamSignIn;
import dev.jeton.model.Failure;
import dev.jeton.model.Secret;
import dev.jeton.model.Upstream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@Command(name = "upstream", mixinStandardHelpOptions = true,
        description = {"Manages upstream identity providers: other OpenID Connect providers (Keycloak, Entra ID, Google, another "
                + "Jeton...) whose users sign in to Jeton with \"Sign in with NAME\" on its login page.",
                "Register Jeton at the provider as a confidential client with the redirect URI ISSUER"
                        + UpstreamSignIn.CALLBACK_PATH + " (ISSUER is Jeton's own), then add it here."},
        subcommands = {UpstreamCommands.Add.class, UpstreamCommands.ListUpstreams.class, UpstreamCommands.Show.class,
                UpstreamCommands.Remove.class})
public final class UpstreamCommands {

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = {"Adds an upstream identity provider. Its users are created here on their first sign-in, linked by the "
                    + "provider's issuer and subject, and get their groups from --claim-groups at every sign-in. Example:",
                    "  jeton upstream add corp --issuer https://login.corp.example --client-id jeton "
                            + "--client-secret-file corp-secret.txt --claim-groups groups --allowed-domain corp.example"})
    static final class Add extends WiringCommand {
        @Parameters(paramLabel = "NAME", description = "The name on the button, \"Sign in with NAME\" (letters, digits, '.', '_', '-').")
        String name;
        @Option(names = "--issuer", required = true, paramLabel = "URL",
                description = "The provider's issuer, exactly as its ID tokens say in iss; its endpoints come from "
                        + "URL/.well-known/openid-configuration.") String issuer;
        @Option(names = "--client-id", required = true, paramLabel = "ID", description = "Jeton's client id at the provider.")
        String clientId;
        @Option(names = "--client-secret-file", required = true, paramLabel = "FILE",
                description = "A file holding Jeton's client secret at the provider (one line); it is stored encrypted with the "
                        + "master key.") Path secretFile;
        @Option(names = "--claim-user", paramLabel = "CLAIM",
                description = "The claim that names the Jeton user (default: preferred_username, else email).") String claimUser;
        @Option(names = "--claim-groups", paramLabel = "CLAIM",
                description = "The claim whose values become the user's groups, replaced at each sign-in (default: none). "
                        + "Groups given with jeton user stay.") String claimGroups;
        @Option(names = "--allowed-domain", paramLabel = "DOMAIN", split = ",",
                description = "Only users whose email is in this domain may sign in (repeatable, or comma-separated; "
                        + "default: any user of the provider).") List<String> allowedDomains = new ArrayList<>();
        @Option(names = "--scope", paramLabel = "SCOPES",
                description = "What Jeton asks the provider for (default: \"openid profile email\"); add groups where the "
                        + "provider needs it for a groups claim.") String scope;
        @Option(names = "--json", description = "Print as JSON.") boolean json;

        @Override
        int run(AdminWiring wiring, PrintWriter out) {
            Upstream upstream = wiring.changes().addUpstream(new UpstreamAdmin.Draft(name, issuer, clientId, secret(secretFile), claimUser,
                    claimGroups, allowedDomains, scope));
            if (json) {
                Output.json(out, describe(upstream));
            } else {
                out.println("added upstream " + upstream.name() + ": " + upstream.issuer());
                out.println("redirect URI to register at the provider: " + wiring.config().issuerFor(wiring.config().port())
                        + UpstreamSignIn.CALLBACK_PATH);
            }
            return 0;
        }

        private static Secret secret(Path file) {
            try {
                String text = Files.readString(file, StandardCharsets.UTF_8).strip();
                return new Secret(text);
            } catch (IOException e) {
                throw Failure.invalidRequest("--client-secret-file " + file + " cannot be read: " + e.getMessage());
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists upstream identity providers.")
    static final class ListUpstreams extends WiringCommand {
        @Option(names = "--json", description = "Print as JSON.") boolean json;

        @Override
        int run(AdminWiring wiring, PrintWriter out) {
            List<Upstream> all = wiring.upstreams().list();
            if (json) {
                Output.json(out, all.stream().map(UpstreamCommands::describe).toList());
            } else {
                Output.table(out, List.of("NAME", "ISSUER", "CLIENT_ID", "GROUPS_CLAIM", "ALLOWED_DOMAINS"), all.stream()
                        .map(u -> List.of(u.name(), u.issuer(), u.clientId(), u.groupsClaim() == null ? "-" : u.groupsClaim(),
                                u.allowedDomains().isEmpty() ? "*" : String.join(",", u.allowedDomains()))).toList());
            }
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Shows one upstream identity provider (never its secret).")
    static final class Show extends WiringCommand {
        @Parameters(paramLabel = "NAME") String name;
        @Option(names = "--json", description = "Print as JSON.") boolean json;

        @Override
        int run(AdminWiring wiring, PrintWriter out) {
            Upstream upstream = wiring.upstreams().show(name).orElseThrow(() -> Failure.notFound("no upstream named " + name));
            if (json) Output.json(out, describe(upstream));
            else describe(upstream).forEach((k, v) -> out.println(k + ": " + (v == null ? "-" : v)));
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Removes an upstream identity provider: its button goes from the login page and sign-ins through it "
                    + "stop. Users it created stay (disable them with jeton user disable).")
    static final class Remove extends WiringCommand {
        @Parameters(paramLabel = "NAME") String name;
        @Option(names = "--json", description = "Print as JSON.") boolean json;

        @Override
        int run(AdminWiring wiring, PrintWriter out) {
            wiring.changes().removeUpstream(name);
            if (json) Output.json(out, Map.of("removed", name));
            else out.println("removed upstream " + name);
            return 0;
        }
    }

    static Map<String, Object> describe(Upstream u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", u.name());
        m.put("issuer", u.issuer());
        m.put("client_id", u.clientId());
        m.put("claim_user", u.userClaim());
        m.put("claim_groups", u.groupsClaim());
        m.put("allowed_domains", u.allowedDomains());
        m.put("scope", u.scope());
        m.put("created_at", u.createdAt().toString());
        return m;
    }
}
