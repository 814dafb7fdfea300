package dev.jeton.cli;

import dev.jeton.AdminWiring;
import dev.jeton.model.Secret;
import dev.jeton.model.User;
import dev.jeton.secrets.RandomTokens;
import dev.jeton.model.UserProfile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@Command(name = "user", mixinStandardHelpOptions = true, description = "Manages users who log in with a password.",
        subcommands = {UserCommands.Add.class, UserCommands.Update.class, UserCommands.ListUsers.class, UserCommands.Disable.class, UserCommands.Passwd.class})
public final class UserCommands {

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Adds a user. The password comes from standard input with --password-stdin; otherwise a random "
                    + "one is generated and printed once.")
    static final class Add extends WiringCommand {
        @Parameters(paramLabel = "NAME", description = "Login name (an email address works).") String name;
        @Option(names = "--password-stdin", description = "Read the password from standard input.") boolean passwordStdin;
        @Option(names = "--group", paramLabel = "GROUP", split = ",", description = "Groups the user belongs to (repeatable, or comma-separated).")
        List<String> groups = new ArrayList<>();
        @Option(names = "--json", description = "Print the result as JSON.") boolean json;
        @Mixin ProfileOptions profile;

        @Override
        int run(AdminWiring wiring, PrintWriter out) {
            if (profile.email != null && !profile.email.matches("[^@\\s]+@[^@\\s]+")) {
                throw new IllegalArgumentException("--email '" + profile.email + "' is not an email address");
            }
            Secret password = passwordStdin ? StdinSecret.read("password") : new RandomTokens().secret();
            User user = wiring.changes().addUser(name, password, groups);
            if (profile.any()) wiring.changes().updateProfile(user.name(), profile.change(), profile.emailVerified);
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("id", user.id());
            result.put("name", user.name());
            result.put("groups", user.groups());
            if (!passwordStdin) result.put("password", password.value());
            if (json) {
                Output.json(out, result);
            } else {
                out.println("added user " + user.name() + " (" + user.id() + ")");
                if (!passwordStdin) out.println("password (shown once): " + password.value());
            }
            return 0;
        }
    }

    @Command(name = "update", mixinStandardHelpOptions = true,
            description = "Changes a user's profile claims (name, given and family name, email), which userinfo releases by scope.")
    static final class Update extends WiringCommand {
        @Parameters(paramLabel = "NAME", description = "Login name.") String name;
        @Mixin ProfileOptions profile;
        @Option(names = "--json", description = "Print the profile as JSON.") boolean json;

        @Override
        int run(AdminWiring wiring, PrintWriter out) {
            if (!profile.any()) throw new IllegalArgumentException("nothing to change: give --name, --given-name, --family-name, --email or --email-verified");
            UserProfile p = wiring.changes().updateProfile(name, profile.change(), profile.emailVerified);
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("name", p.name());
            result.put("given_name", p.givenName());
            result.put("family_name", p.familyName());
            result.put("email", p.email());
            result.put("email_verified", p.emailVerified());
            if (json) {
                Output.json(out, result);
            } else {
                out.println("updated user " + name);
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists users.")
    static final class ListUsers extends WiringCommand {
        @Option(names = "--json", description = "Print as JSON.") boolean json;

        @Override
        int run(AdminWiring wiring, PrintWriter out) {
            List<User> users = wiring.accounts().users();
            if (json) {
                Output.json(out, users.stream().map(u -> Map.of("id", u.id(), "name", u.name(), "disabled", u.disabled(),
                        "groups", u.groups(), "created_at", u.createdAt().toString())).toList());
            } else {
                Output.table(out, List.of("NAME", "ID", "DISABLED", "GROUPS"), users.stream()
                        .map(u -> List.of(u.name(), u.id(), String.valueOf(u.disabled()), String.join(",", u.groups()))).toList());
            }
            return 0;
        }
    }

    @Command(name = "disable", mixinStandardHelpOptions = true,
            description = "Disables a user: no new logins or refreshes (tokens already issued run out). --enable undoes it.")
    static final class Disable extends WiringCommand {
        @Parameters(paramLabel = "NAME") String name;
        @Option(names = "--enable", description = "Enable the user again.") boolean enable;

        @Override
        int run(AdminWiring wiring, PrintWriter out) {
            wiring.changes().setUserDisabled(name, !enable);
            out.println((enable ? "enabled " : "disabled ") + name);
            return 0;
        }
    }

    @Command(name = "passwd", mixinStandardHelpOptions = true, description = "Sets a user's password, read from standard input.")
    static final class Passwd extends WiringCommand {
        @Parameters(paramLabel = "NAME") String name;
        @Option(names = "--password-stdin", description = "Read the password from standard input (the default; kept for symmetry with add).")
        boolean passwordStdin;

        @Override
        int run(AdminWiring wiring, PrintWriter out) {
            wiring.changes().setPassword(name, StdinSecret.read("password"));
            out.println("password changed for " + name);
            return 0;
        }
    }
}
