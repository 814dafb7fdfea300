package dev.jeton.cli;

import dev.jeton.AdminWiring;
import dev.jeton.config.Durations;
import dev.jeton.engine.ApiKeys.NewApiKey;
import dev.jeton.model.ApiKey;
import dev.jeton.model.User;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

@Command(name = "apikey", mixinStandardHelpOptions = true,
        description = "Manages API keys: long-lived keys (sk-occam-...) that a user's programs trade for access tokens "
                + "at GET /auth/access-token?key=.",
        subcommands = {ApiKeyCommands.Create.class, ApiKeyCommands.ListKeys.class, ApiKeyCommands.Revoke.class})
public final class ApiKeyCommands {

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Creates an API key for USER and prints it once; only its SHA-256 is stored. Tokens minted from it "
                    + "carry USER as subject and the key's scopes.")
    static final class Create extends WiringCommand {
        @Parameters(paramLabel = "USER", description = "The owner (a user name).") String user;
        @Option(names = "--name", paramLabel = "NAME",
                description = "A label to recognise the key by, unique among USER's active keys (jeton export names the key by it).")
        String name;
        @Option(names = "--scope", split = ",", paramLabel = "SCOPE", description = "Scopes of the tokens minted from the key.")
        List<String> scopes = new ArrayList<>();
        @Option(names = "--expires-in", paramLabel = "DURATION", description = "Lifetime, e.g. 90d (default: no expiry).")
        String expiresIn;
        @Option(names = "--json", description = "Print {\"key\": ..., \"id\": ..., ...}.") boolean json;

        @Override
        int run(AdminWiring wiring, PrintWriter out) {
            NewApiKey created = wiring.changes().createApiKey(user, name, new LinkedHashSet<>(scopes),
                    expiresIn == null ? null : Durations.parse(expiresIn));
            Instant expiresAt = created.key().expiresAt();
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("key", created.secret().value());
                m.put("id", created.key().id());
                m.put("user", created.userName());
                m.put("scopes", created.key().scopes());
                if (expiresAt != null) m.put("expires_at", expiresAt.toString());
                Output.json(out, m);
            } else {
                out.println("created API key " + created.key().id() + " for " + created.userName());
                out.println("key (shown once): " + created.secret().value());
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists API keys (never the keys themselves).")
    static final class ListKeys extends WiringCommand {
        @Option(names = "--user", paramLabel = "USER", description = "Only this user's keys.") String user;
        @Option(names = "--json", description = "Print as JSON.") boolean json;

        @Override
        int run(AdminWiring wiring, PrintWriter out) {
            List<ApiKey> keys = wiring.apiKeys().list(user);
            Map<String, String> names = wiring.accounts().users().stream().collect(Collectors.toMap(User::id, User::name));
            Function<ApiKey, String> owner = k -> names.getOrDefault(k.userId(), k.userId());
            if (json) {
                Output.json(out, keys.stream().map(k -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("id", k.id());
                    m.put("user", owner.apply(k));
                    m.put("name", k.name());
                    m.put("scopes", k.scopes());
                    m.put("created_at", k.createdAt().toString());
                    m.put("expires_at", k.expiresAt() == null ? null : k.expiresAt().toString());
                    m.put("revoked", k.revokedAt() != null);
                    return m;
                }).toList());
            } else {
                Output.table(out, List.of("ID", "USER", "NAME", "SCOPES", "EXPIRES", "REVOKED"), keys.stream().map(k -> List.of(
                        k.id(), owner.apply(k), k.name() == null ? "" : k.name(), String.join(" ", k.scopes()),
                        k.expiresAt() == null ? "never" : k.expiresAt().toString(), String.valueOf(k.revokedAt() != null))).toList());
            }
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revokes an API key by id; it stops working at once.")
    static final class Revoke extends WiringCommand {
        @Parameters(paramLabel = "ID") String id;

        @Override
        int run(AdminWiring wiring, PrintWriter out) {
            wiring.changes().revokeApiKey(id);
            out.println("revoked API key " + id);
            return 0;
        }
    }
}
