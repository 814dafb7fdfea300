package dev.jeton.cli;

import dev.jeton.AdminWiring;
import dev.jeton.engine.AdminChanges;
import dev.jeton.model.RelyingParty;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** A client's OpenID Connect settings, on {@code client add} and {@code client update}. */
final class RelyingPartyOptions {
    @Option(names = "--first-party", negatable = true,
            description = "A first-party client skips the consent page (the default). --no-first-party shows the consent page "
                    + "until the user has approved each scope once.")
    Boolean firstParty;

    @Option(names = "--post-logout-redirect-uri", paramLabel = "URI",
            description = "Where the end_session_endpoint may send the user back after logout (exact match; repeatable). "
                    + "On update it replaces the list; give \"\" to clear it.")
    List<String> postLogoutRedirectUris;

    @Option(names = "--backchannel-logout-uri", paramLabel = "URI",
            description = "Receives a logout_token (OpenID Connect Back-Channel Logout 1.0) when a session in which the client got "
                    + "tokens ends. On update, \"\" removes it.")
    String backchannelLogoutUri;

    boolean given() { return firstParty != null || postLogoutRedirectUris != null || backchannelLogoutUri != null; }

    /** The change the options ask for ({@code NONE} when none is given). */
    AdminChanges.RelyingPartyChange change() {
        List<String> uris = null;
        if (postLogoutRedirectUris != null) {
            uris = new ArrayList<>();
            for (String u : postLogoutRedirectUris) if (!u.isEmpty()) uris.add(u);
        }
        return new AdminChanges.RelyingPartyChange(firstParty, uris, backchannelLogoutUri);
    }

    RelyingParty apply(AdminWiring wiring, String clientId) { return wiring.changes().updateRelyingParty(clientId, change()); }
}
