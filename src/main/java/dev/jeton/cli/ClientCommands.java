package dev.jeton.cli;

import dev.jeton.AdminWiring;
import dev.jeton.config.Durations;
import dev.jeton.engine.Accounts;
import dev.jeton.engine.Accounts.ClientSpec;
import dev.jeton.engine.Accounts.NewClient;
import dev.jeton.model.Client;
import dev.jeton.model.GrantType;
import dev.jeton.model.RefreshPolicy;
import dev.jeton.model.Secret;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

@Command(name = "client", mixinStandardHelpOptions = true, description = "Manages OAuth clients (applications with a secret).",
        subcommands = {ClientCommands.Add.class, ClientCommands.Update.class, ClientCommands.ListClients.class, ClientCommands.RotateSecret.class,
                ClientCommands.Delete.class})
public final class ClientCommands {

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Adds a client; its id is NAME and its secret is printed once.")
    static final class Add extends WiringCommand {
        @Parameters(paramLabel = "NAME", description = "The client_id.") String name;
        @Option(names = "--grant", split = ",", paramLabel = "GRANT",
                description = "Allowed grants: client_credentials, password, refresh_token, authorization_code, device_code (RFC 8628; "
                        + "for docker-credential-jeton: --public --grant device_code --scope registry) "
                        + "(default: client_credentials,refresh_token; for --public: authorization_code,refresh_token).")
        List<String> grants;
        @Option(names = "--scope", split = ",", paramLabel = "SCOPE", description = "Scopes the client may ask for (repeatable or comma-separated).")
        List<String> scopes = new ArrayList<>();
        @Option(names = "--audience", split = ",", paramLabel = "AUD", description = "Audiences the client may ask for; the first is the default.")
        List<String> audiences = new ArrayList<>();
        @Option(names = "--redirect-uri", paramLabel = "URI", description = "Registered redirect URIs (exact match).")
        List<String> redirectUris = new ArrayList<>();
        @Option(names = "--access-ttl", paramLabel = "DURATION", description = "Access token lifetime, e.g. 5m (default: access-token-ttl).")
        String accessTtl;
        @Option(names = "--refresh-ttl", paramLabel = "DURATION", description = "Refresh token lifetime, e.g. 7d (default: refresh-token-ttl).")
        String refreshTtl;
        @Option(names = "--refresh-policy", paramLabel = "POLICY", description = "rotating (default: reuse of a used token revokes the family), rotating-lenient (reuse is only refused) or reusable (no rotation).")
        String refreshPolicy = "rotating";
        @Option(names = "--public", description = "A public client (RFC 6749 2.1): no secret, for apps that cannot keep one.")
        boolean publicClient;
        @Option(names = "--json", description = "Print {\"client_id\": ..., \"client_secret\": ...}.") boolean json;
        @Mixin OidcClientOptions oidc;
        @Mixin RelyingPartyOptions relyingParty;

        @Override
        int run(AdminWiring wiring, PrintWriter out) {
            var oidcChange = oidc.change();
            Set<GrantType> grantTypes = new LinkedHashSet<>();
            if (grants == null) grantTypes.addAll(Accounts.defaultGrants(publicClient));
            else for (String g : grants) {
                grantTypes.add(GrantType.fromWire(g.trim()).orElseThrow(() -> new IllegalArgumentException("unknown grant '" + g + "'")));
            }
            RefreshPolicy policy = switch (refreshPolicy.toLowerCase(java.util.Locale.ROOT)) {
                case "rotating" -> RefreshPolicy.ROTATING;
                case "rotating-lenient" -> RefreshPolicy.ROTATING_LENIENT;
                case "reusable" -> RefreshPolicy.REUSABLE;
                default -> throw new IllegalArgumentException("--refresh-policy must be rotating, rotating-lenient or reusable");
            };
            NewClient created = wiring.changes().registerClient(new ClientSpec(name, grantTypes, new LinkedHashSet<>(scopes), audiences,
                    redirectUris, duration(accessTtl), duration(refreshTtl), policy, publicClient), oidc.any() ? oidcChange : null,
                    relyingParty.change());
            if (json) {
                Map<String, String> m = new LinkedHashMap<>();
                m.put("client_id", created.client().clientId());
                if (created.secret() != null) m.put("client_secret", created.secret().value());
                Output.json(out, m);
            } else {
                out.println("added " + (created.secret() == null ? "public " : "") + "client " + created.client().clientId());
                if (created.secret() != null) out.println("client_secret (shown once): " + created.secret().value());
            }
            return 0;
        }

        private static Duration duration(String s) { return s == null ? null : Durations.parse(s); }
    }

    @Command(name = "update", mixinStandardHelpOptions = true,
            description = "Changes a client's OpenID Connect registration: ID token algorithm, token endpoint authentication "
                    + "method, keys, consent (first-party) and logout URIs; options not given keep their value.")
    static final class Update extends WiringCommand {
        @Parameters(paramLabel = "NAME", description = "The client_id.") String name;
        @Mixin OidcClientOptions oidc;
        @Mixin RelyingPartyOptions relyingParty;

        @Override
        int run(AdminWiring wiring, PrintWriter out) {
            if (!oidc.any() && !relyingParty.given()) {
                throw new IllegalArgumentException("nothing to change: give --id-token-alg, --auth-method, --jwks-file, --jwks-uri, "
                        + "--[no-]first-party, --post-logout-redirect-uri or --backchannel-logout-uri");
            }
            String summary = "";
            if (oidc.any()) {
                var next = wiring.changes().updateClientOidc(name, oidc.change());
                if (next.authMethod() == dev.jeton.model.TokenAuthMethod.CLIENT_SECRET_JWT && !wiring.oidc().secretKept(name)) {
                    out.println("client_secret_jwt works from the next secret: run 'jeton client rotate-secret " + name
                            + "' (the current one was stored only as a hash)");
                }
            }
            if (relyingParty.given()) summary = ": " + dev.jeton.engine.AdminChanges.partySummary(relyingParty.apply(wiring, name));
            out.println("updated client " + name + summary);
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists clients (never their secrets).")
    static final class ListClients extends WiringCommand {
        @Option(names = "--json", description = "Print as JSON.") boolean json;

        @Override
        int run(AdminWiring wiring, PrintWriter out) {
            List<Client> clients = wiring.accounts().clients();
            if (json) {
                var oidc = wiring.oidc();
                Output.json(out, clients.stream().map(c -> describe(c, oidc.client(c.clientId()))).toList());
            } else {
                Output.table(out, List.of("CLIENT_ID", "GRANTS", "SCOPES", "REFRESH"), clients.stream().map(c -> List.of(
                        c.clientId(), grants(c), String.join(" ", c.scopes()), c.refreshPolicy().name().toLowerCase())).toList());
            }
            return 0;
        }

        private static Map<String, Object> describe(Client c, dev.jeton.model.ClientOidcSettings oidc) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("client_id", c.clientId());
            m.put("grant_types", c.grantTypes().stream().map(GrantType::wireName).sorted().toList());
            m.put("scopes", c.scopes().stream().sorted().toList());
            m.put("audiences", c.audiences());
            m.put("redirect_uris", c.redirectUris());
            m.put("refresh_policy", c.refreshPolicy().name().toLowerCase());
            m.put("public", c.isPublic());
            m.put("disabled", c.disabled());
            m.put("id_token_signed_response_alg", oidc.idTokenAlgOrDefault());
            if (oidc.authMethod() != null) m.put("token_endpoint_auth_method", oidc.authMethod().wireName());
            if (oidc.jwksUri() != null) m.put("jwks_uri", oidc.jwksUri());
            if (oidc.jwks() != null) m.put("jwks", "registered");
            m.put("created_at", c.createdAt().toString());
            return m;
        }

        private static String grants(Client c) {
            return c.grantTypes().stream().map(GrantType::wireName).sorted().collect(Collectors.joining(","));
        }
    }

    @Command(name = "rotate-secret", mixinStandardHelpOptions = true,
            description = {"Replaces a client's secret and prints the new one once. The old one stops working at once, or "
                    + "with --overlap keeps working for that long, so the client's deployments can move over one by one.",
                    "Example: jeton client rotate-secret my-app --overlap 1h"})
    static final class RotateSecret extends WiringCommand {
        @Parameters(paramLabel = "NAME") String name;
        @Option(names = "--overlap", paramLabel = "DURATION",
                description = "How long the old secret keeps working, e.g. 30m or 1d (default 0s: not at all; at most 30d).")
        String overlap = "0s";
        @Option(names = "--json", description = "Print {\"client_id\": ..., \"client_secret\": ...}.") boolean json;

        @Override
        int run(AdminWiring wiring, PrintWriter out) {
            Secret secret = wiring.changes().rotateClientSecret(name, Durations.parse(overlap));
            if (json) {
                Map<String, String> m = new LinkedHashMap<>();
                m.put("client_id", name);
                m.put("client_secret", secret.value());
                Output.json(out, m);
            } else {
                out.println("client_secret (shown once): " + secret.value());
            }
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Deletes a client and revokes every refresh token issued to it.")
    static final class Delete extends WiringCommand {
        @Parameters(paramLabel = "NAME") String name;

        @Override
        int run(AdminWiring wiring, PrintWriter out) {
            wiring.changes().deleteClient(name);
            out.println("deleted client " + name);
            return 0;
        }
    }
}
