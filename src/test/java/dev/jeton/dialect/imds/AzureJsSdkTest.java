package dev.jeton.dialect.imds;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.jeton.model.ManagedIdentity;
import dev.jeton.support.AzureIdentityJs;
import dev.jeton.support.Jetons;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real Azure Identity SDK for JavaScript (@azure/identity 4.13.1 with @azure/msal-node 5.6.0,
 * pinned by the lockfile in src/test/resources/azure-identity-js), unmodified, under the machine's
 * Node.js, gets managed identity tokens from Jeton's IMDS listener; a resource server then
 * verifies them. It asks for {@code /metadata/identity/oauth2/token/} (msal-node's trailing slash).
 */
class AzureJsSdkTest {
    private static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";

    @TempDir
    static Path dir;
    static Jetons.Running jeton;
    static ManagedIdentity system;
    static ManagedIdentity user;

    @BeforeAll
    static void start() {
        AzureIdentityJs.install();
        jeton = Jetons.start(dir);
        system = jeton.wiring().admin().identities().add("vm", TENANT, null, "test-node");
        user = jeton.wiring().admin().identities().add("worker", TENANT, null, null);
        jeton.wiring().admin().identities().assign("worker", "test-node");
    }

    @AfterAll
    static void stop() { jeton.close(); }

    private static JWTClaimsSet sdkToken(String audience, String... args) throws Exception {
        AzureIdentityJs.Run run = AzureIdentityJs.run(jeton.imdsUrl(), args);
        assertThat(run.exitCode()).as(run.output()).isZero();
        JWTClaimsSet claims = verify(run.token(), audience);
        // msal-node adds (expires_on - now at the answer) to the time it sent the request: early by the request's duration.
        assertThat(run.expiresAt()).as("the SDK read expires_on")
                .isBetween(claims.getIssueTime().getTime() / 1000 + 1, claims.getExpirationTime().getTime() / 1000);
        return claims;
    }

    private static JWTClaimsSet verify(String token, String audience) throws Exception {
        DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
        p.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.ES256,
                JWKSourceBuilder.create(URI.create(jeton.baseUrl() + "/oidc/jwks").toURL()).build()));
        p.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(audience,
                new JWTClaimsSet.Builder().issuer(jeton.baseUrl() + "/" + TENANT).claim("tid", TENANT).build(), Set.of("oid", "exp")));
        return p.process(token, null);
    }

    @Test
    void systemAssignedWhenNoIdThenTheNodesIdentity() throws Exception {
        JWTClaimsSet claims = sdkToken("https://vault.azure.net", "system", "https://vault.azure.net/.default");
        assertThat(claims.getStringClaim("oid")).isEqualTo(system.objectId());
    }

    @Test
    void userAssignedByClientIdThenThatIdentity() throws Exception {
        JWTClaimsSet claims = sdkToken("https://storage.azure.com", "client-id", "https://storage.azure.com/.default", user.clientId());
        assertThat(claims.getStringClaim("appid")).isEqualTo(user.clientId());
    }

    @Test
    void userAssignedByResourceIdThenThatIdentity() throws Exception {
        JWTClaimsSet claims = sdkToken("https://management.azure.com", "resource-id", "https://management.azure.com/.default",
                user.resourceId());
        assertThat(claims.getStringClaim("xms_mirid")).isEqualTo(user.resourceId());
    }

    @Test
    void userAssignedByObjectIdThenThatIdentity() throws Exception {
        JWTClaimsSet claims = sdkToken("api://x", "object-id", "api://x/.default", user.objectId());
        assertThat(claims.getStringClaim("oid")).isEqualTo(user.objectId());
    }

    @Test
    void defaultAzureCredentialWhenOnlyImdsIsThereThenUsesIt() throws Exception {
        JWTClaimsSet claims = sdkToken("https://graph.microsoft.com", "default", "https://graph.microsoft.com/.default");
        assertThat(claims.getStringClaim("oid")).isEqualTo(system.objectId());
    }

    @Test
    void authorityHostWhenItEndsInSlashThenTheDoubledAndTrailingSlashPathIsServed() throws Exception {
        AzureIdentityJs.Run run = AzureIdentityJs.run(jeton.imdsUrl() + "/", "system", "https://vault.azure.net/.default");
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(verify(run.token(), "https://vault.azure.net").getStringClaim("oid")).isEqualTo(system.objectId());
    }
}
