package dev.jeton.cli;

import dev.jeton.AdminWiring;
import dev.jeton.engine.session.LoginSessions.Listed;
import dev.jeton.model.Failure;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@Command(name = "session", mixinStandardHelpOptions = true,
        description = "Browser login sessions of the OpenID Connect login page (the jeton_session cookie).",
        subcommands = {SessionCommands.ListSessions.class, SessionCommands.Revoke.class})
public final class SessionCommands {

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists active sessions, newest first.")
    static final class ListSessions extends WiringCommand {
        @Option(names = "--user", paramLabel = "NAME", description = "Only this user's sessions.") String user;
        @Option(names = "--json", description = "Print as JSON.") boolean json;

        @Override
        int run(AdminWiring wiring, PrintWriter out) {
            List<Listed> sessions = wiring.sessions().list(user);
            if (json) {
                Output.json(out, sessions.stream().map(ListSessions::describe).toList());
            } else {
                Output.table(out, List.of("ID", "USER", "AUTH_TIME", "EXPIRES", "CLIENTS"), sessions.stream().map(l -> List.of(
                        l.session().id(), l.userName(), l.session().authTime().toString(), expiry(l).toString(),
                        String.join(",", l.clients()))).toList());
            }
            return 0;
        }

        private static java.time.Instant expiry(Listed l) {
            return l.session().idleExpiresAt().isBefore(l.session().expiresAt()) ? l.session().idleExpiresAt() : l.session().expiresAt();
        }

        private static Map<String, Object> describe(Listed l) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", l.session().id());
            m.put("user", l.userName());
            m.put("user_id", l.session().userId());
            m.put("auth_time", l.session().authTime().toString());
            m.put("acr", l.session().acr());
            m.put("amr", l.session().amr());
            m.put("idle_expires_at", l.session().idleExpiresAt().toString());
            m.put("expires_at", l.session().expiresAt().toString());
            m.put("clients", l.clients());
            return m;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Ends a session by its id, or every session of a user. The browser must log in again; tokens already "
                    + "issued keep their own lifetime (revoke those with `jeton token revoke`).")
    static final class Revoke extends WiringCommand {
        @ArgGroup(multiplicity = "1") Which which;

        static final class Which {
            @Parameters(paramLabel = "ID", description = "The session id (from `jeton session list`).") String id;
            @Option(names = "--user", paramLabel = "NAME", description = "Every session of this user.") String user;
        }

        @Override
        int run(AdminWiring wiring, PrintWriter out) {
            if (which.user != null) {
                List<String> ended = wiring.changes().revokeSessionsOf(which.user);
                out.println("revoked " + ended.size() + " session(s) of " + which.user);
                return 0;
            }
            if (!wiring.changes().revokeSession(which.id)) throw Failure.notFound("no active session '" + which.id + "'");
            out.println("revoked session " + which.id);
            return 0;
        }
    }
}
