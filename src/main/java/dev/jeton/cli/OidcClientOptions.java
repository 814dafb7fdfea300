package dev.jeton.cli;

import dev.jeton.model.ClientOidcSettings;
import dev.jeton.model.TokenAuthMethod;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A client's OpenID Connect registration, as {@code client add} and {@code client update} take it. */
final class OidcClientOptions {
    @Option(names = "--id-token-alg", paramLabel = "ALG",
            description = "Algorithm of its ID tokens (id_token_signed_response_alg): RS256 (the default) or ES256.")
    String idTokenAlg;
    @Option(names = "--auth-method", paramLabel = "METHOD",
            description = "token_endpoint_auth_method: client_secret_basic or client_secret_post (either works by default), "
                    + "private_key_jwt (a JWT signed with its key, RFC 7523; needs --jwks-file or --jwks-uri), "
                    + "client_secret_jwt (a JWT signed with its secret, HS256; the secret is then also kept, encrypted) or none (public).")
    String authMethod;
    @Option(names = "--jwks-file", paramLabel = "FILE", description = "File holding the client's public keys as a JWK set, for private_key_jwt.")
    Path jwksFile;
    @Option(names = "--jwks-uri", paramLabel = "URL", description = "URL of the client's JWK set, fetched when needed (and again for an unknown kid).")
    String jwksUri;

    boolean any() { return idTokenAlg != null || authMethod != null || jwksFile != null || jwksUri != null; }

    ClientOidcSettings change() {
        if (jwksFile != null && jwksUri != null) throw new IllegalArgumentException("give --jwks-file or --jwks-uri, not both");
        TokenAuthMethod method = authMethod == null ? null : TokenAuthMethod.fromWire(authMethod.trim())
                .orElseThrow(() -> new IllegalArgumentException("--auth-method must be client_secret_basic, client_secret_post, "
                        + "client_secret_jwt, private_key_jwt or none"));
        String jwks;
        try {
            jwks = jwksFile == null ? null : Files.readString(jwksFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + jwksFile, e);
        }
        return new ClientOidcSettings(idTokenAlg == null ? null : idTokenAlg.trim().toUpperCase(java.util.Locale.ROOT), method, jwks, jwksUri);
    }
}
