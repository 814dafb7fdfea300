package dev.jeton.engine.clientauth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.jeton.engine.ClientDirectory;
import dev.jeton.model.Client;
import dev.jeton.model.ClientOidcSettings;
import dev.jeton.model.Failure;
import dev.jeton.model.TokenAuthMethod;
import dev.jeton.store.RevocationStore;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;

/**
 * {@code private_key_jwt} and {@code client_secret_jwt} client authentication (RFC 7523 2.2 and
 * 3, OIDC Core 9): a JWT the client signed with its own key, or with its secret as HMAC key. Checked like a verifier, one rule at a time in the RFC's
 * order; each refusal is {@code invalid_client} with its own reason for the audit log.
 */
public final class ClientAssertions {
    public static final String TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    private static final System.Logger LOG = System.getLogger(ClientAssertions.class.getName());
    /** Asymmetric algorithms only: an HMAC would need the client's secret in the clear, and "none" proves nothing. */
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512,
            JWSAlgorithm.EdDSA);
    private static final Set<JWSAlgorithm> HMAC = Set.of(JWSAlgorithm.HS256, JWSAlgorithm.HS384, JWSAlgorithm.HS512);
    private static final Duration SKEW = Duration.ofSeconds(60);

    private final ClientDirectory clients;
    private final ClientJwks keys;
    private final SealedSecrets secrets;
    private final RevocationStore used;
    private final Set<String> audiences;
    private final Duration maxLifetime;
    private final Clock clock;

    /**
     * @param audiences what {@code aud} may name: the issuer and the endpoint URLs (OIDC Core 9
     *                  says the token endpoint, RFC 7523 the server's identifier; clients use both)
     * @param maxLifetime how far in the future {@code exp} may lie: the jti is remembered that long
     */
    public ClientAssertions(ClientDirectory clients, ClientJwks keys, SealedSecrets secrets, RevocationStore used, Set<String> audiences,
                            Duration maxLifetime, Clock clock) {
        this.clients = clients;
        this.keys = keys;
        this.secrets = secrets;
        this.used = used;
        this.audiences = Set.copyOf(audiences);
        this.maxLifetime = maxLifetime;
        this.clock = clock;
    }

    /** The client the assertion proves; {@code clientId} is the request's {@code client_id}, if it sent one. */
    public Client authenticate(String clientId, String assertion) {
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(assertion);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw refused("client_assertion is not a signed JWT", "client_assertion.malformed", clientId);
        }
        String subject = claims.getSubject();
        if (subject == null || !subject.equals(claims.getIssuer())) {
            throw refused("client_assertion must have iss and sub both equal to the client_id", "client_assertion.subject", clientId);
        }
        if (clientId != null && !clientId.equals(subject)) {
            throw refused("client_id does not match the client_assertion's sub", "client_assertion.client_id", clientId);
        }
        Client client = clients.byClientId(subject).filter(c -> !c.disabled())
                .orElseThrow(() -> refused("client authentication failed", "client.unknown", subject));
        ClientOidcSettings settings = clients.oidcSettings(subject).orElse(ClientOidcSettings.DEFAULT);
        JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
        if (settings.authMethod() == TokenAuthMethod.PRIVATE_KEY_JWT) {
            if (!ALGORITHMS.contains(alg)) throw refused("client_assertion algorithm " + alg + " is not accepted", "client_assertion.algorithm", subject);
            verifySignature(jwt, settings, subject);
        } else if (settings.authMethod() == TokenAuthMethod.CLIENT_SECRET_JWT) {
            if (!HMAC.contains(alg)) throw refused("client_secret_jwt assertions are signed HS256, HS384 or HS512", "client_assertion.algorithm", subject);
            verifyMac(jwt, subject);
        } else {
            throw refused("this client is not registered for private_key_jwt or client_secret_jwt", "client_assertion.method", subject);
        }
        if (claims.getAudience().stream().noneMatch(audiences::contains)) {
            throw refused("client_assertion aud must name this server's token endpoint or issuer", "client_assertion.audience", subject);
        }
        Instant now = clock.instant();
        Date exp = claims.getExpirationTime();
        if (exp == null) throw refused("client_assertion has no exp", "client_assertion.no_exp", subject);
        if (!now.minus(SKEW).isBefore(exp.toInstant())) throw refused("client_assertion has expired", "client_assertion.expired", subject);
        if (exp.toInstant().isAfter(now.plus(maxLifetime))) {
            throw refused("client_assertion exp is more than " + maxLifetime.toMinutes() + " minutes away", "client_assertion.lifetime", subject);
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && nbf.toInstant().isAfter(now.plus(SKEW))) throw refused("client_assertion is not valid yet", "client_assertion.not_yet_valid", subject);
        String jti = claims.getJWTID();
        if (jti == null || jti.isEmpty()) throw refused("client_assertion has no jti", "client_assertion.no_jti", subject);
        if (jti.length() > 256) throw refused("client_assertion jti is too long", "client_assertion.no_jti", subject);
        // Remembered past its exp (plus the skew we allow), so it cannot be replayed while it could still pass.
        if (!used.useOnce(subject, jti, exp.toInstant().plus(SKEW))) {
            throw refused("client_assertion was already used (jti)", "client_assertion.replayed", subject);
        }
        return client;
    }

    private void verifySignature(SignedJWT jwt, ClientOidcSettings settings, String clientId) {
        List<JWK> candidates = keys.candidates(settings, jwt.getHeader().getKeyID());
        if (candidates.isEmpty()) throw refused("no registered key of this client has the client_assertion's kid", "client_assertion.unknown_kid", clientId);
        DefaultJWSVerifierFactory factory = new DefaultJWSVerifierFactory();
        for (JWK key : candidates) {
            if (!(key instanceof AsymmetricJWK asymmetric)) continue;
            if (key.getAlgorithm() != null && !key.getAlgorithm().equals(jwt.getHeader().getAlgorithm())) continue;
            try {
                JWSVerifier verifier = factory.createJWSVerifier(jwt.getHeader(), asymmetric.toPublicKey());
                if (jwt.verify(verifier)) return;
            } catch (JOSEException e) {
                LOG.log(System.Logger.Level.DEBUG, "key {0} of client {1} cannot verify this assertion: {2}", key.getKeyID(), clientId, e.getMessage());
            }
        }
        throw refused("client_assertion signature does not verify with the client's keys", "client_assertion.signature", clientId);
    }

    private void verifyMac(SignedJWT jwt, String clientId) {
        byte[] key = secrets.macKey(clientId)
                .orElseThrow(() -> refused("no secret is kept for this client: rotate its secret", "client_assertion.no_secret", clientId));
        try {
            if (jwt.verify(new MACVerifier(key))) return;
        } catch (JOSEException e) {
            LOG.log(System.Logger.Level.DEBUG, "client {0} assertion MAC not checked: {1}", clientId, e.getMessage());
        }
        throw refused("client_assertion signature does not verify with the client's secret", "client_assertion.signature", clientId);
    }

    private static Failure refused(String detail, String check, String clientId) {
        LOG.log(System.Logger.Level.INFO, "client assertion refused for client_id {0}: {1}", clientId, detail);
        return Failure.invalidClient(detail).because(check);
    }
}
