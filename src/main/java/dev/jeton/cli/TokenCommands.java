package dev.jeton.cli;

import dev.jeton.AdminWiring;
import dev.jeton.engine.Revocation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.Optional;

@Command(name = "token", mixinStandardHelpOptions = true, description = "Acts on issued tokens.",
        subcommands = {TokenCommands.Revoke.class})
public final class TokenCommands {

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = {"Revokes a token. A refresh token revokes its whole family; an access token (JWT) is denied "
                    + "by introspection and userinfo until it expires.",
                    "Give the token as '-' to read it from standard input (keeps it out of shell history)."})
    static final class Revoke extends WiringCommand {
        @Parameters(paramLabel = "TOKEN", arity = "0..1", description = "The token, or - for standard input.") String token;
        @Option(names = "--family", paramLabel = "ID", description = "Revoke a refresh family by its id instead.") String family;

        @Override
        int run(AdminWiring wiring, PrintWriter out) {
            if (family != null) {
                boolean revoked = wiring.changes().revokeFamily(family);
                out.println(revoked ? "revoked family " + family : "no active family " + family);
                return revoked ? 0 : 3;
            }
            if (token == null) throw new IllegalArgumentException("give a TOKEN, '-' for standard input, or --family ID");
            String value = "-".equals(token) ? StdinSecret.read("token").value() : token;
            Optional<Revocation.Revoked> revoked = wiring.changes().revokeToken(value);
            out.println(revoked.isPresent() ? "revoked" : "not a token of this server (nothing revoked)");
            return revoked.isPresent() ? 0 : 3;
        }
    }
}
