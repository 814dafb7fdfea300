package dev.jeton.support;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.identity.ManagedIdentityCredentialBuilder;

/**
 * Runs in a child JVM (the SDK reads its IMDS redirect from the real process environment and
 * caches tokens JVM-wide): gets one token with the real Azure Identity SDK and prints it.
 * Arguments: MODE SCOPE [ID], MODE one of system, client-id, resource-id, object-id, default.
 */
public final class AzureIdentityProbe {
    private AzureIdentityProbe() {
    }

    public static void main(String[] args) {
        String mode = args[0];
        String scope = args[1];
        TokenCredential credential = switch (mode) {
            case "system" -> new ManagedIdentityCredentialBuilder().build();
            case "client-id" -> new ManagedIdentityCredentialBuilder().clientId(args[2]).build();
            case "resource-id" -> new ManagedIdentityCredentialBuilder().resourceId(args[2]).build();
            case "object-id" -> new ManagedIdentityCredentialBuilder().objectId(args[2]).build();
            case "default" -> new DefaultAzureCredentialBuilder().build();
            default -> throw new IllegalArgumentException(mode);
        };
        AccessToken token = credential.getTokenSync(new TokenRequestContext().addScopes(scope));
        System.out.println("TOKEN " + token.getToken());
        System.out.println("EXPIRES " + token.getExpiresAt().toEpochSecond());
    }
}
