package dev.jeton.cli;

import dev.jeton.AdminWiring;
import dev.jeton.model.RelyingParty;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;

/** {@code jeton client update}: changes a client's OpenID Connect settings; what is not given stays. */
@Command(name = "update", mixinStandardHelpOptions = true,
        description = "Changes a client's OpenID Connect settings (consent, logout URIs); options not given keep their value.")
final class ClientUpdate extends WiringCommand {
    @Parameters(paramLabel = "NAME", description = "The client_id.") String name;
    @Mixin RelyingPartyOptions oidc;

    @Override
    int run(AdminWiring wiring, PrintWriter out) {
        if (!oidc.given()) throw new IllegalArgumentException("nothing to change: give --first-party, --no-first-party, "
                + "--post-logout-redirect-uri or --backchannel-logout-uri");
        RelyingParty updated = oidc.apply(wiring, name);
        out.println("updated client " + name + ": " + RelyingPartyOptions.describe(updated));
        return 0;
    }
}
