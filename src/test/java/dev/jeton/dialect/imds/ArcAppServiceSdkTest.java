package dev.jeton.dialect.imds;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.jeton.config.Setting;
import dev.jeton.model.ManagedIdentity;
import dev.jeton.support.AzureIdentityJs;
import dev.jeton.support.AzureIdentityProbe;
import dev.jeton.support.Jetons;
import dev.jeton.support.ResourceServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real Azure Identity SDKs, unmodified, get tokens from the two other managed-identity
 * endpoints on Jeton's IMDS listener: Azure Arc's (IDENTITY_ENDPOINT + IMDS_ENDPOINT; the SDK
 * reads the key file the 401 names, which must be in /var/opt/azcmagent/tokens: the tests run
 * as root) and App Service's (IDENTITY_ENDPOINT + IDENTITY_HEADER). A resource server verifies them.
 */
class ArcAppServiceSdkTest {
    private static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";

    @TempDir
    static Path dir;
    static Jetons.Running jeton;
    static ManagedIdentity system;
    static ManagedIdentity user;
    static String headerSecret;

    @BeforeAll
    static void start() throws IOException {
        jeton = Jetons.start(dir, Clock.systemUTC(), Map.of(Setting.ARC, "true", Setting.APP_SERVICE, "true"));
        system = jeton.wiring().admin().identities().add("vm", TENANT, null, "test-node");
        user = jeton.wiring().admin().identities().add("worker", TENANT, null, null);
        jeton.wiring().admin().identities().assign("worker", "test-node");
        headerSecret = Files.readString(dir.resolve("app-service.secret"));
    }

    @AfterAll
    static void stop() { jeton.close(); }

    private static Map<String, String> arc() {
        return Map.of("IDENTITY_ENDPOINT", jeton.imdsUrl() + ArcEndpoint.PATH, "IMDS_ENDPOINT", jeton.imdsUrl());
    }

    private static Map<String, String> appService() {
        return Map.of("IDENTITY_ENDPOINT", jeton.imdsUrl() + AppServiceEndpoint.PATH, "IDENTITY_HEADER", headerSecret);
    }

    private static String javaSdkToken(Map<String, String> env, String... args) throws Exception {
        AzureIdentityProbe.Run run = AzureIdentityProbe.runWith(env, List.of(), args);
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
    void arcWhenJavaSdkFollowsTheChallengeThenTheNodesSystemIdentity() throws Exception {
        JWTClaimsSet claims = verify(javaSdkToken(arc(), "system", "https://vault.azure.net/.default"), "https://vault.azure.net");
        assertThat(claims.getStringClaim("oid")).isEqualTo(system.objectId());
    }

    @Test
    void arcWhenJsSdkFollowsTheChallengeThenTheNodesSystemIdentity() throws Exception {
        AzureIdentityJs.Run run = AzureIdentityJs.runWith(arc(), "system", "https://management.azure.com/.default");
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(verify(run.token(), "https://management.azure.com").getStringClaim("oid")).isEqualTo(system.objectId());
    }

    @Test
    void appServiceWhenJavaSdkSendsTheHeaderSecretThenTheSystemIdentity() throws Exception {
        JWTClaimsSet claims = verify(javaSdkToken(appService(), "system", "https://storage.azure.com/.default"), "https://storage.azure.com");
        assertThat(claims.getStringClaim("oid")).isEqualTo(system.objectId());
    }

    @Test
    void appServiceWhenJavaSdkNamesAUserAssignedIdentityThenThatIdentity() throws Exception {
        JWTClaimsSet claims = verify(javaSdkToken(appService(), "client-id", "https://graph.microsoft.com/.default", user.clientId()),
                "https://graph.microsoft.com");
        assertThat(claims.getStringClaim("appid")).isEqualTo(user.clientId());
        JWTClaimsSet byResourceId = verify(javaSdkToken(appService(), "resource-id", "https://graph.microsoft.com/.default",
                user.resourceId()), "https://graph.microsoft.com");
        assertThat(byResourceId.getStringClaim("xms_mirid")).isEqualTo(user.resourceId());
    }

    @Test
    void appServiceWhenJsSdkSendsTheHeaderSecretThenAUserAssignedIdentityByObjectId() throws Exception {
        AzureIdentityJs.Run run = AzureIdentityJs.runWith(appService(), "object-id", "https://vault.azure.net/.default", user.objectId());
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(verify(run.token(), "https://vault.azure.net").getStringClaim("oid")).isEqualTo(user.objectId());
    }

    @Test
    void appServiceWhenJavaSdkHasAWrongSecretThenNoToken() throws Exception {
        AzureIdentityProbe.Run run = AzureIdentityProbe.runWith(Map.of("IDENTITY_ENDPOINT", jeton.imdsUrl() + AppServiceEndpoint.PATH,
                "IDENTITY_HEADER", "not-the-secret-at-all"), List.of(), "system", "https://vault.azure.net/.default");
        assertThat(run.exitCode()).isNotZero();
        assertThat(run.output()).contains("Invalid X-IDENTITY-HEADER").doesNotContain("TOKEN ");
    }
}
