package dev.jeton.model;

import java.util.List;

/**
 * A client's OpenID Connect settings beyond OAuth: a first-party client skips the consent
 * page; logout may return only to a registered {@code post_logout_redirect_uri}; a
 * {@code backchannelLogoutUri} is told when a session it took part in ends.
 */
public record RelyingParty(String clientId, boolean firstParty, List<String> postLogoutRedirectUris, String backchannelLogoutUri) {
    public RelyingParty {
        postLogoutRedirectUris = List.copyOf(postLogoutRedirectUris);
    }

    /** Every client registered without OpenID Connect settings: first-party, no logout URIs. */
    public static RelyingParty defaults(String clientId) { return new RelyingParty(clientId, true, List.of(), null); }
}
