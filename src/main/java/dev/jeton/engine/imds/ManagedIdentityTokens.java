package dev.jeton.engine.imds;

import dev.jeton.keys.ClaimsJson;
import dev.jeton.keys.KeyRing;
import dev.jeton.model.IdentityToken;
import dev.jeton.model.Issued;
import dev.jeton.model.ManagedIdentity;
import dev.jeton.secrets.RandomTokens;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * Managed identity tokens shaped like Entra ID's ({@code aud} = resource, per-tenant {@code iss},
 * {@code tid}, {@code oid}, {@code appid}, {@code xms_mirid}): the same for an identity reached
 * through a node's IMDS as through a federated workload token.
 */
public final class ManagedIdentityTokens {
    private final KeyRing keys;
    private final RandomTokens random;
    private final String issuer;

    public ManagedIdentityTokens(KeyRing keys, RandomTokens random, String issuer) {
        this.keys = keys;
        this.random = random;
        this.issuer = issuer;
    }

    public IdentityToken mint(ManagedIdentity identity, String resource, Instant now, Duration ttl) {
        Instant iat = Instant.ofEpochSecond(now.getEpochSecond());
        Instant exp = iat.plus(ttl);
        String jti = random.id();
        String claims = new ClaimsJson()
                .string("iss", issuer + "/" + identity.tenantId())
                .string("sub", identity.objectId())
                .string("aud", resource)
                .number("iat", iat.getEpochSecond())
                .number("nbf", iat.getEpochSecond())
                .number("exp", exp.getEpochSecond())
                .string("jti", jti)
                .string("tid", identity.tenantId())
                .string("oid", identity.objectId())
                .string("appid", identity.clientId())
                .string("azp", identity.clientId())
                .string("appidacr", "2")
                .string("idtyp", "app")
                .string("xms_mirid", identity.resourceId())
                .string("ver", "1.0")
                .end();
        String token = keys.sign(claims);
        Issued issued = new Issued(token, jti, iat, exp, Set.of(), identity.subject(), identity.clientId(), null, null);
        return new IdentityToken(issued, identity, resource);
    }
}
