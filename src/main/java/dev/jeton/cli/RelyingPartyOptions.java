package dev.jeton.cli;

import dev.jeton.AdminWiring;
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

    RelyingParty apply(AdminWiring wiring, String clientId) {
        List<String> uris = null;
        if (postLogoutRedirectUris != null) {
            uris = new ArrayList<>();
            for (String u : postLogoutRedirectUris) if (!u.isEmpty()) uris.add(u);
        }
        RelyingParty next = wiring.relyingParties().update(clientId, firstParty, uris, backchannelLogoutUri);
        wiring.adminAudit().changed("client.oidc", clientId, describe(next));
        return next;
    }

    static String describe(RelyingParty p) {
        return (p.firstParty() ? "first-party" : "third-party (consent)")
                + (p.postLogoutRedirectUris().isEmpty() ? "" : "; post-logout " + String.join(" ", p.postLogoutRedirectUris()))
                + (p.backchannelLogoutUri() == null ? "" : "; back-channel logout " + p.backchannelLogoutUri());
    }
}
