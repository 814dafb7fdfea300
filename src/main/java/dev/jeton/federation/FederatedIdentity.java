package dev.jeton.federation;

import com.nimbusds.jwt.JWTClaimsSet;

/** A verified upstream token: which trusted issuer made it, and its claims. {@code issuer} is null for Jeton's own tokens. */
public record FederatedIdentity(TrustedIssuer issuer, JWTClaimsSet claims) {
    public boolean self() { return issuer == null; }
}
