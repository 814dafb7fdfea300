package dev.jeton.dialect;

import dev.jeton.engine.Engine;
import dev.jeton.engine.code.Authorizations;
import dev.jeton.engine.device.DeviceFlow;
import dev.jeton.engine.upstream.UpstreamSignIn;
import dev.jeton.engine.session.OidcSessions;
import dev.jeton.http.Bodies;
import dev.jeton.http.RateLimits;
import dev.jeton.http.TokenMetrics;

import java.time.Clock;
import java.util.List;

/**
 * The parts of a server every dialect may use: the engine (and the authorization-code flow
 * behind the login page, with its login sessions and logout), the request body reader, the token
 * metrics, the per-client and per-source rate limits, the issuer and the signing algorithms the
 * server can publish, the device authorization flow, and the sign-in through upstream identity
 * providers that login pages offer.
 */
public record DialectContext(Engine engine, Authorizations authorizations, OidcSessions oidc, Bodies bodies, TokenMetrics metrics,
                             RateLimits limits, String issuer, List<String> signingAlgorithms, Clock clock,
                             DeviceFlow deviceFlow, UpstreamSignIn upstreams) {
}
