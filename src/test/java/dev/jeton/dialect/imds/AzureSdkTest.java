package dev.jeton.dialect.imds;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.jeton.model.ManagedIdentity;
import dev.jeton.support.AzureIdentityProbe;
import dev.jeton.support.Jetons;
import dev.jeton.support.ResourceServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real Azure Identity SDK (azure-identity, as azure-sdk-bom manages it), unmodified, gets
 * managed identity tokens from Jeton's IMDS listener; a resource server then verifies them.
 */
class AzureSdkTest {
    private static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";

    @TempDir
    static Path dir;
    static Jetons.Running jeton;
    static ManagedIdentity system;
    static ManagedIdentity user;

    @BeforeAll
    static void start() {
        jeton = Jetons.start(dir);
        system = jeton.wiring().admin().identities().add("vm", TENANT, null, "test-node");
        user = jeton.wiring().admin().identities().add("worker", TENANT, null, null);
        jeton.wiring().admin().identities().assign("worker", "test-node");
    }

    @AfterAll
    static void stop() { jeton.close(); }

    private static String sdkToken(String... args) throws Exception {
        AzureIdentityProbe.Run run = AzureIdentityProbe.run(jeton.imdsUrl(), List.of(), args);
        assertThat(run.exitCode()).as(run.output()).isZero();
        return run.token();
    }

    private static JWTClaimsSet verify(String token, String audience) throws Exception {
        DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
        p.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.ES256,
                ResourceServer.jwks(jeton.baseUrl() + "/oidc/jwks").build()));
        p.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(audience,
                new JWTClaimsSet.Builder().issuer(jeton.baseUrl() + "/" + TENANT).claim("tid", TENANT).build(), Set.of("oid", "exp")));
        return p.process(token, null);
    }

    @Test
    void systemAssignedWhenNoIdThenTheNodesIdentity() throws Exception {
        JWTClaimsSet claims = verify(sdkToken("system", "https://vault.azure.net/.default"), "https://vault.azure.net");
        assertThat(claims.getStringClaim("oid")).isEqualTo(system.objectId());
    }

    @Test
    void userAssignedByClientIdThenThatIdentity() throws Exception {
        JWTClaimsSet claims = verify(sdkToken("client-id", "https://storage.azure.com/.default", user.clientId()), "https://storage.azure.com");
        assertThat(claims.getStringClaim("appid")).isEqualTo(user.clientId());
    }

    @Test
    void userAssignedByResourceIdThenThatIdentity() throws Exception {
        JWTClaimsSet claims = verify(sdkToken("resource-id", "https://management.azure.com/.default", user.resourceId()),
                "https://management.azure.com");
        assertThat(claims.getStringClaim("xms_mirid")).isEqualTo(user.resourceId());
    }

    @Test
    void defaultAzureCredentialWhenOnlyImdsIsThereThenUsesIt() throws Exception {
        JWTClaimsSet claims = verify(sdkToken("default", "https://graph.microsoft.com/.default"), "https://graph.microsoft.com");
        assertThat(claims.getStringClaim("oid")).isEqualTo(system.objectId());
    }
}
