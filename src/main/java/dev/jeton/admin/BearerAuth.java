package dev.jeton.admin;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.jeton.engine.AccessTokens;
import dev.jeton.model.Failure;
import dev.jeton.model.Scopes;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;

import java.text.ParseException;
import java.util.Optional;

/**
 * Authenticates an admin API request by Jeton's own access token (RFC 6750 Bearer). The token
 * must be for this server: signed by its keys, its issuer, unexpired, not revoked, and with
 * the issuer among its audiences, so a token minted for a resource server cannot be replayed here.
 */
final class BearerAuth {
    private static final String PREFIX = "bearer ";

    private final AccessTokens tokens;
    private final String issuer;

    BearerAuth(AccessTokens tokens, String issuer) {
        this.tokens = tokens;
        this.issuer = issuer;
    }

    /** Empty when the request has no Authorization header (answered with the bare challenge). */
    Optional<Caller> caller(ServerRequest req) {
        Optional<String> header = req.headers().first(HeaderNames.AUTHORIZATION);
        if (header.isEmpty()) return Optional.empty();
        String value = header.get();
        if (value.length() <= PREFIX.length() || !value.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            throw Failure.invalidToken("the Authorization header must be: Bearer TOKEN");
        }
        String token = value.substring(PREFIX.length()).trim();
        if (!AccessTokens.looksLikeJwt(token)) throw Failure.invalidToken("the bearer token is not an access token of this server");
        JWTClaimsSet claims = tokens.verify(token);
        if (claims.getAudience() == null || !claims.getAudience().contains(issuer)) {
            throw Failure.invalidToken("the token is for another audience; ask for one without an audience (or with " + issuer + ")");
        }
        try {
            String scope = claims.getStringClaim("scope");
            return Optional.of(new Caller(claims.getSubject(), scope == null ? java.util.Set.of() : Scopes.parse(scope)));
        } catch (ParseException e) {
            throw Failure.invalidToken("the token's scope claim is not a string");
        }
    }
}
