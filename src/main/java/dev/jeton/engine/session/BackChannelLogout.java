package dev.jeton.engine.session;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.jeton.model.LoginSession;
import dev.jeton.model.RelyingParty;
import dev.jeton.secrets.RandomTokens;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.function.BiFunction;

/**
 * OpenID Connect Back-Channel Logout 1.0: when a session ends, each client that received a
 * code in it and registered a back-channel logout URI gets a {@code logout_token} POSTed to
 * that URI. Sent in the background; a client that fails to answer 200 is audited, never
 * retried, and never stops the logout.
 */
public final class BackChannelLogout {
    static final String EVENT = "http://schemas.openid.net/event/backchannel-logout";

    private final RelyingParties parties;
    private final BiFunction<String, String, String> signer;
    private final String issuer;
    private final RandomTokens random;
    private final Clock clock;
    private final Supplier<HttpClient> http;
    private final SessionAudit audit;

    /**
     * @param signer signs a JWT payload (the exact JSON text) for a client id the way that client's ID tokens are
     *               signed (its registered algorithm, RS256 by default): the RP verifies both with the same key set
     * @param http   made on first use: most servers never send a notice
     */
    public BackChannelLogout(RelyingParties parties, BiFunction<String, String, String> signer, String issuer, RandomTokens random, Clock clock,
                             Supplier<HttpClient> http, SessionAudit audit) {
        this.parties = parties;
        this.signer = signer;
        this.issuer = issuer;
        this.random = random;
        this.clock = clock;
        this.http = http;
        this.audit = audit;
    }

    /** Tells each client of the ended session; completes when every notice has been answered or has failed. */
    public CompletableFuture<Void> notify(LoginSession session, List<String> clientIds) {
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (String clientId : clientIds) {
            RelyingParty party = parties.of(clientId);
            if (party.backchannelLogoutUri() == null) continue;
            sent.add(send(party, session));
        }
        return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new));
    }

    private CompletableFuture<Void> send(RelyingParty party, LoginSession session) {
        String token = signer.apply(party.clientId(), logoutToken(party.clientId(), session));
        HttpRequest request = HttpRequest.newBuilder(URI.create(party.backchannelLogoutUri()))
                .timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("logout_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)))
                .build();
        return http.get().sendAsync(request, HttpResponse.BodyHandlers.discarding()).handle((response, error) -> {
            if (error != null) {
                audit.noticeFailed(party.clientId(), session.id(), "backchannel_logout.unreachable",
                        "back-channel logout to " + party.backchannelLogoutUri() + " failed: " + error.getClass().getSimpleName());
            } else if (response.statusCode() != 200 && response.statusCode() != 204) {
                audit.noticeFailed(party.clientId(), session.id(), "backchannel_logout.refused",
                        "back-channel logout to " + party.backchannelLogoutUri() + " answered " + response.statusCode());
            }
            return null;
        });
    }

    /** Back-Channel Logout 1.0, 2.4: iss, aud, iat, exp, jti, sub, sid and the event; never a nonce. */
    String logoutToken(String clientId, LoginSession session) {
        Instant now = clock.instant();
        return new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience(clientId)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(120)))
                .jwtID(random.id())
                .subject(session.userId())
                .claim("sid", session.id())
                .claim("events", Map.of(EVENT, Map.of()))
                .build().toString();
    }
}
