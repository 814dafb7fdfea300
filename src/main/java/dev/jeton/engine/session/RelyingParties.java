package dev.jeton.engine.session;

import dev.jeton.model.Failure;
import dev.jeton.model.RelyingParty;
import dev.jeton.store.ClientStore;
import dev.jeton.store.RelyingPartyStore;

import java.net.URI;
import java.util.List;

/** Clients' OpenID Connect settings: read by sign-in and logout, changed by the operator. */
public final class RelyingParties {
    private final RelyingPartyStore store;
    private final ClientStore clients;

    public RelyingParties(RelyingPartyStore store, ClientStore clients) {
        this.store = store;
        this.clients = clients;
    }

    public RelyingParty of(String clientId) { return store.byClientId(clientId).orElseGet(() -> RelyingParty.defaults(clientId)); }

    /**
     * Changes what is given (null keeps the current value). Logout URIs must be absolute; a
     * back-channel URI must be http(s) without a fragment (Back-Channel Logout 1.0, 2.2).
     */
    public RelyingParty update(String clientId, Boolean firstParty, List<String> postLogoutRedirectUris, String backchannelLogoutUri) {
        if (clients.byClientId(clientId).isEmpty()) throw Failure.notFound("no client '" + clientId + "'");
        RelyingParty current = of(clientId);
        if (postLogoutRedirectUris != null) postLogoutRedirectUris.forEach(u -> requireAbsolute(u, "post-logout redirect URI"));
        if (backchannelLogoutUri != null && !backchannelLogoutUri.isEmpty()) {
            URI uri = requireAbsolute(backchannelLogoutUri, "back-channel logout URI");
            if (!uri.getScheme().equals("https") && !uri.getScheme().equals("http")) {
                throw Failure.invalidRequest("the back-channel logout URI must be http or https: " + backchannelLogoutUri);
            }
            if (uri.getRawFragment() != null) throw Failure.invalidRequest("the back-channel logout URI must not have a fragment");
        }
        RelyingParty next = new RelyingParty(clientId, firstParty == null ? current.firstParty() : firstParty,
                postLogoutRedirectUris == null ? current.postLogoutRedirectUris() : postLogoutRedirectUris,
                backchannelLogoutUri == null ? current.backchannelLogoutUri() : backchannelLogoutUri.isEmpty() ? null : backchannelLogoutUri);
        store.put(next);
        return next;
    }

    private static URI requireAbsolute(String value, String what) {
        try {
            URI uri = new URI(value);
            if (!uri.isAbsolute() || uri.getHost() == null && !"urn".equals(uri.getScheme())) {
                throw Failure.invalidRequest("the " + what + " must be an absolute URI: " + value);
            }
            return uri;
        } catch (java.net.URISyntaxException e) {
            throw Failure.invalidRequest("the " + what + " is not a URI: " + value);
        }
    }
}
