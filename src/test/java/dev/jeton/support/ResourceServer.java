package dev.jeton.support;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.jose.util.DefaultResourceRetriever;

import java.net.MalformedURLException;
import java.net.URI;
import java.util.Set;

/**
 * Verifies tokens the way an independent resource server would: Nimbus, keys fetched from the
 * JWKS URL that discovery advertises, issuer and audience checked.
 */
public final class ResourceServer {
    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

    public ResourceServer(String jwksUrl, String issuer, String audience) {
        JWKSource<SecurityContext> keys = jwks(jwksUrl).retrying(false).build();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.ES256, JWSAlgorithm.RS256), keys));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(audience,
                new JWTClaimsSet.Builder().issuer(issuer).build(), Set.of("sub", "exp", "iat", "nbf", "jti", "client_id")));
    }

    /**
     * A JWKS source for this URL that waits as long as a loaded test machine may need: Nimbus's
     * own 500 ms read timeout made verification depend on how busy the machine was.
     */
    public static JWKSourceBuilder<SecurityContext> jwks(String url) {
        try {
            return JWKSourceBuilder.create(URI.create(url).toURL(), new DefaultResourceRetriever(30_000, 30_000));
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public JWTClaimsSet verify(String token) throws Exception {
        return processor.process(token, null);
    }
}
