package dev.jeton.engine.grant;

import dev.jeton.engine.ClientAuthenticator;
import dev.jeton.engine.Grants;
import dev.jeton.engine.IdTokens;
import dev.jeton.engine.TokenMinter;
import dev.jeton.engine.TokenMinter.Minted;
import dev.jeton.engine.refresh.RefreshTokens;
import dev.jeton.engine.refresh.RefreshTokens.Opened;
import dev.jeton.model.AuthorizationCode;
import dev.jeton.model.Client;
import dev.jeton.model.ClientAuth;
import dev.jeton.model.Failure;
import dev.jeton.model.GrantType;
import dev.jeton.model.Issued;
import dev.jeton.model.TokenRequest;
import dev.jeton.model.User;
import dev.jeton.secrets.SecretHash;
import dev.jeton.store.CodeStore;
import dev.jeton.store.CodeStore.Redemption;
import dev.jeton.store.RefreshStore;
import dev.jeton.store.RevocationStore;
import dev.jeton.store.UserStore;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;

/**
 * RFC 6749 4.1.3: a code for tokens, once. The code is marked used atomically before anything
 * is issued; a second use revokes what the first produced (RFC 6749 4.1.2).
 */
public final class AuthorizationCodeGrant {
    private static final System.Logger LOG = System.getLogger(AuthorizationCodeGrant.class.getName());

    private final ClientAuthenticator clients;
    private final CodeStore codes;
    private final UserStore users;
    private final Grants grants;
    private final TokenMinter minter;
    private final RefreshTokens refresh;
    private final RefreshStore families;
    private final RevocationStore revocations;
    private final IdTokens idTokens;
    private final Clock clock;

    public AuthorizationCodeGrant(Issuing issuing, CodeStore codes, UserStore users, RefreshStore families, RevocationStore revocations,
                                  IdTokens idTokens) {
        this.clients = issuing.clients();
        this.codes = codes;
        this.users = users;
        this.grants = issuing.grants();
        this.minter = issuing.minter();
        this.refresh = issuing.refresh();
        this.families = families;
        this.revocations = revocations;
        this.idTokens = idTokens;
        this.clock = issuing.clock();
    }

    public Issued issue(TokenRequest.AuthorizationCode request) {
        // A request that names no client (Run:ai's exchange) speaks for the code's own client, if that one is public.
        boolean unnamed = request.client() == null || request.client().clientId() == null;
        Client client = unnamed ? null : clients.authenticate(request.client());
        if (client != null && !client.allows(GrantType.AUTHORIZATION_CODE)) {
            throw Failure.unauthorizedClient("this client may not use authorization codes").because("client.grant_not_allowed");
        }
        if (request.code() == null || request.code().isEmpty()) throw Failure.invalidRequest("code", "code is required");
        Instant now = clock.instant();
        byte[] hash = SecretHash.of(request.code());
        Redemption redemption = codes.redeem(hash, now);
        AuthorizationCode code = redemption.code();
        switch (redemption.outcome()) {
            case UNKNOWN -> throw Failure.invalidGrant("the code is invalid").because("code.unknown");
            case EXPIRED -> throw Failure.invalidGrant("the code has expired").because("code.expired");
            case REPLAYED -> {
                revokeWhatTheFirstUseIssued(code, now);
                throw Failure.invalidGrant("the code was already used; the tokens issued for it are revoked").because("code.replayed");
            }
            case REDEEMED -> { }
        }
        if (unnamed) client = clients.authenticate(ClientAuth.none(code.clientId()));
        if (!client.clientId().equals(code.clientId())) throw Failure.invalidGrant("the code was issued to another client").because("code.wrong_client");
        if (code.redirectUriExplicit() || request.redirectUri() != null) {
            if (!code.redirectUri().equals(request.redirectUri())) throw Failure.invalidGrant("redirect_uri does not match the authorization request").because("code.redirect_mismatch");
        }
        checkPkce(code.codeChallenge(), request.codeVerifier());
        User user = users.byId(code.userId()).filter(u -> !u.disabled())
                .orElseThrow(() -> Failure.invalidGrant("the user of this code is disabled or gone").because("user.disabled"));

        String audience = grants.audience(client, null);
        Minted token = minter.mint(user.subject(), client.clientId(), code.scope(), audience, grants.accessTtl(client), now);
        Issued issued = new Issued(token.token(), token.jti(), token.issuedAt(), token.expiresAt(), code.scope(), user.subject(),
                client.clientId(), null, null);
        String familyId = null;
        if (client.allows(GrantType.REFRESH_TOKEN)) {
            Opened family = refresh.open(user.subject(), client.clientId(), request.dialect(), client.refreshPolicy(), code.scope(),
                    audience, grants.refreshTtl(client), now);
            familyId = family.family().id();
            issued = new Issued(token.token(), token.jti(), token.issuedAt(), token.expiresAt(), code.scope(), user.subject(),
                    client.clientId(), family.token(), family.expiresAt()).withFamily(familyId);
        }
        codes.attachIssued(hash, familyId, token.jti(), token.expiresAt());
        return code.scope().contains("openid") ? issued.withIdToken(idTokens.mint(issued, code.nonce(), code.authContext())) : issued;
    }

    private void revokeWhatTheFirstUseIssued(AuthorizationCode code, Instant now) {
        LOG.log(System.Logger.Level.WARNING, "authorization code replayed for client {0}: revoking its tokens", code.clientId());
        if (code.familyId() != null) families.revokeFamily(code.familyId(), now);
        if (code.accessJti() != null) revocations.revoke(code.accessJti(), code.accessExpiresAt());
    }

    /** RFC 7636 4.6: BASE64URL(SHA256(verifier)) must equal the challenge. */
    private static void checkPkce(String challenge, String verifier) {
        if (challenge == null) {
            if (verifier != null) throw Failure.invalidGrant("code_verifier given but the authorization request had no challenge").because("pkce.unexpected");
            return;
        }
        if (verifier == null) throw Failure.invalidGrant("code_verifier is required").because("pkce.missing");
        if (verifier.length() < 43 || verifier.length() > 128) throw Failure.invalidGrant("code_verifier must be 43-128 characters").because("pkce.malformed");
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            String computed = Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
            if (!MessageDigest.isEqual(computed.getBytes(StandardCharsets.US_ASCII), challenge.getBytes(StandardCharsets.US_ASCII))) {
                throw Failure.invalidGrant("code_verifier does not match the code_challenge").because("pkce.mismatch");
            }
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
