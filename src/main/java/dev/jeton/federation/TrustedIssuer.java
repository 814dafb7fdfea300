package dev.jeton.federation;

import java.util.List;

/**
 * An upstream identity provider whose tokens Jeton accepts for exchange. {@code jwksUri} null
 * means "find it by OIDC discovery"; empty {@code audiences} accept any audience; {@code
 * tenant}, when set, must match the exchange's {@code tenant} and the token's {@code tid}.
 */
public record TrustedIssuer(String name, String issuer, String jwksUri, List<String> audiences, String tenant,
                            String subjectClaim, boolean autoProvision) {
    public TrustedIssuer {
        audiences = List.copyOf(audiences);
    }
}
