package dev.jeton.engine.node;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.jeton.engine.federation.Federation;
import dev.jeton.federation.FederatedToken;
import dev.jeton.federation.PolicyMatch;
import dev.jeton.model.Failure;
import dev.jeton.model.Node;
import dev.jeton.model.PrincipalRef;
import dev.jeton.model.Reason;
import dev.jeton.model.Secret;
import dev.jeton.secrets.SecretHash;
import dev.jeton.store.NodeStore;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Who a node agent is, from what it proves and never from what it claims: an enrolment (a
 * one-time token binds the agent's public key to its node), then an RFC 7523 assertion signed
 * by that key, or a Kubernetes service-account token that a trust policy with {@code --as
 * node:GLOB} admits. Checks run in the order below, each refusal with its own audited reason.
 */
public final class NodeCredentials {
    /** Clock difference tolerated between a node and the servers. */
    static final Duration SKEW = Duration.ofSeconds(30);
    /** The longest an assertion may live: the agent makes one per call, so a few minutes is ample. */
    static final Duration LONGEST_ASSERTION = Duration.ofMinutes(5);

    private final NodeStore store;
    private final Supplier<Federation> federation;
    private final String audience;
    private final Clock clock;

    /**
     * @param federation made on first need: a server start should not load the trust policies for it
     * @param audience   what assertions must name in {@code aud}: this server's issuer, shared by every server of the fleet
     */
    public NodeCredentials(NodeStore store, Supplier<Federation> federation, String audience, Clock clock) {
        this.store = store;
        this.federation = federation;
        this.audience = audience;
        this.clock = clock;
    }

    /** Binds {@code publicJwk} to the node whose one-time token this is. */
    public void enrol(String name, Secret token, String publicJwk) {
        if (name == null || name.isEmpty()) throw Failure.invalidRequest("node", "node is required");
        if (token == null || token.isEmpty()) throw Failure.invalidRequest("enrol_token", "enrol_token is required");
        ECKey key = publicKey(publicJwk);
        Instant now = clock.instant();
        byte[] hash = SecretHash.of(token);
        if (store.enrol(name, hash, key.toJSONString(), now)) return;
        // The conditional update refused: read the row once to say why.
        Node node = store.byName(name).orElseThrow(() -> denied("no node named " + name + " is waiting to enrol", "enrol.unknown_node"));
        if (node.enrolTokenHash() == null || !SecretHash.matches(token, node.enrolTokenHash())) {
            throw denied("the enrolment token is not this node's", "enrol.token_invalid");
        }
        if (node.enrolUsed()) throw denied("the enrolment token was used already: add the node again for a new one", "enrol.token_used");
        if (node.disabled()) throw disabled(name);
        throw denied("the enrolment token has expired: add the node again for a new one", "enrol.token_expired");
    }

    /** The node a {@code client_assertion} proves: a node's own signed assertion, or a platform token a node policy admits. */
    public String authenticate(String assertion) {
        if (assertion == null || assertion.isEmpty()) throw Failure.of(Reason.INVALID_CLIENT, "client_assertion is required")
                .because("assertion.missing");
        SignedJWT jwt = parse(assertion);
        JWTClaimsSet claims = claims(jwt);
        if (claims.getIssuer() != null && federation.get().trustsIssuer(claims.getIssuer())) return federated(assertion);
        return enrolled(jwt, claims);
    }

    /** The node an assertion names, unverified: for the audit line of a refusal only. */
    public static String claimed(String assertion) {
        try {
            String sub = SignedJWT.parse(assertion).getJWTClaimsSet().getSubject();
            return sub == null || sub.length() > 256 ? null : sub;
        } catch (ParseException | RuntimeException e) {
            return null;
        }
    }

    /** RFC 7523 section 3, with the node's enrolled key: iss = sub = the node, aud this fleet, short exp, jti used once. */
    private String enrolled(SignedJWT jwt, JWTClaimsSet claims) {
        String name = claims.getSubject();
        if (name == null || !name.equals(claims.getIssuer())) throw invalid("iss and sub must both name the node", "assertion.subject");
        if (!JWSAlgorithm.ES256.equals(jwt.getHeader().getAlgorithm())) throw invalid("node assertions are signed with ES256", "assertion.alg");
        Node node = store.byName(name).orElseThrow(() -> invalid("unknown node " + name, "node.unknown"));
        if (!node.enrolled()) throw invalid("node " + name + " has not enrolled", "node.not_enrolled");
        if (!verifies(jwt, node.publicKey())) throw invalid("the assertion is not signed by node " + name + "'s key", "assertion.signature");
        if (node.disabled()) throw disabled(name);
        List<String> aud = claims.getAudience();
        if (aud == null || !aud.contains(audience)) throw invalid("the assertion's aud must be " + audience, "assertion.audience");
        Instant now = clock.instant();
        Instant exp = instant(claims.getExpirationTime());
        if (exp == null) throw invalid("the assertion has no exp", "assertion.no_exp");
        if (!now.isBefore(exp.plus(SKEW))) throw invalid("the assertion has expired", "assertion.expired");
        Instant iat = instant(claims.getIssueTime());
        Instant from = iat == null ? now : iat;
        if (Duration.between(from, exp).compareTo(LONGEST_ASSERTION) > 0) {
            throw invalid("the assertion lives longer than " + LONGEST_ASSERTION.toMinutes() + " minutes", "assertion.too_long");
        }
        if (iat != null && iat.isAfter(now.plus(SKEW))) throw invalid("the assertion is not valid yet", "assertion.not_yet_valid");
        String jti = claims.getJWTID();
        if (jti == null || jti.isEmpty() || jti.length() > 128) throw invalid("the assertion needs a jti (at most 128 characters)", "assertion.no_jti");
        // In the database, so that the same assertion sent to another server of the fleet is refused too.
        if (!store.useAssertion(name, jti, exp.plus(SKEW))) throw invalid("the assertion was used already", "assertion.replayed");
        return name;
    }

    /** A DaemonSet pod's service-account token: the node is the one its kubelet named in the token, if a node policy admits it. */
    private String federated(String token) {
        FederatedToken verified = federation.get().verify(token);
        PrincipalRef as = verified.policy().as();
        if (as.kind() != PrincipalRef.Kind.NODE) {
            throw invalid("trust policy " + verified.policy().name() + " does not admit node agents (--as node:GLOB)", "policy.not_node_agent");
        }
        String name = nodeName(verified.claims());
        if (name == null) throw invalid("the token names no node (kubernetes.io node name)", "token.no_node");
        if (!PolicyMatch.glob(as.name()).matcher(name).matches()) {
            throw invalid("trust policy " + verified.policy().name() + " does not admit node " + name, "policy.node_mismatch");
        }
        Optional<Node> known = store.byName(name);
        if (known.isPresent() && known.get().disabled()) throw disabled(name);
        return name;
    }

    /** {@code kubernetes.io.node.name}, which the kubelet binds into the token of a pod on that node. */
    private static String nodeName(Map<String, Object> claims) {
        if (claims.get("kubernetes.io") instanceof Map<?, ?> k8s && k8s.get("node") instanceof Map<?, ?> node
                && node.get("name") instanceof String name && !name.isEmpty()) {
            return name;
        }
        return null;
    }

    private static ECKey publicKey(String jwk) {
        if (jwk == null || jwk.isEmpty()) throw Failure.invalidRequest("public_key", "public_key (a JWK) is required");
        ECKey key;
        try {
            key = ECKey.parse(jwk);
        } catch (ParseException e) {
            throw Failure.invalidRequest("public_key", "public_key must be an EC P-256 JWK");
        }
        if (key.isPrivate()) throw Failure.invalidRequest("public_key", "public_key holds a private key: send the public part only");
        if (!Curve.P_256.equals(key.getCurve())) throw Failure.invalidRequest("public_key", "public_key must be on curve P-256 (ES256)");
        return key.toPublicJWK();
    }

    private static boolean verifies(SignedJWT jwt, String publicJwk) {
        try {
            return jwt.verify(new ECDSAVerifier(ECKey.parse(publicJwk)));
        } catch (JOSEException | ParseException | IllegalStateException e) {
            return false;
        }
    }

    private static SignedJWT parse(String assertion) {
        try {
            return SignedJWT.parse(assertion);
        } catch (ParseException e) {
            throw invalid("client_assertion is not a signed JWT", "assertion.malformed");
        }
    }

    private static JWTClaimsSet claims(SignedJWT jwt) {
        try {
            return jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw invalid("client_assertion's claims are not a JSON object", "assertion.malformed");
        }
    }

    private static Instant instant(Date date) { return date == null ? null : date.toInstant(); }

    private static Failure invalid(String detail, String check) {
        return Failure.of(Reason.INVALID_CLIENT, detail).because(check);
    }

    private static Failure denied(String detail, String check) {
        return Failure.of(Reason.INVALID_GRANT, detail).because(check);
    }

    private static Failure disabled(String name) {
        return Failure.of(Reason.ACCESS_DENIED, "node " + name + " is disabled").because("node.disabled");
    }
}
