package dev.jeton.dialect.registry;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.jeton.model.Issued;
import dev.jeton.model.Scopes;

import java.util.List;

/** Docker token auth and ACR's JSON shapes. */
final class RegistryWire {
    private RegistryWire() {
    }

    /** GET /oauth2/token: Docker clients read {@code token}, the ACR SDKs {@code access_token}. */
    record LoginTokenResponse(
            @JsonProperty("token") String token,
            @JsonProperty("access_token") String accessToken,
            @JsonProperty("expires_in") long expiresIn,
            @JsonProperty("issued_at") String issuedAt,
            @JsonProperty("refresh_token") String refreshToken) {

        static LoginTokenResponse of(Issued issued) {
            return new LoginTokenResponse(issued.accessToken(), issued.accessToken(), issued.expiresInSeconds(),
                    issued.issuedAt().toString(), issued.refreshToken() == null ? null : issued.refreshToken().value());
        }
    }

    /** POST /oauth2/token (Docker's OAuth2 token endpoint, ACR's AccessToken). */
    record AccessTokenResponse(
            @JsonProperty("access_token") String accessToken,
            @JsonProperty("expires_in") long expiresIn,
            @JsonProperty("issued_at") String issuedAt,
            @JsonProperty("scope") String scope,
            @JsonProperty("refresh_token") String refreshToken) {

        static AccessTokenResponse of(Issued issued) {
            return new AccessTokenResponse(issued.accessToken(), issued.expiresInSeconds(), issued.issuedAt().toString(),
                    Scopes.format(issued.scope()), issued.refreshToken() == null ? null : issued.refreshToken().value());
        }
    }

    /** POST /oauth2/exchange (ACR's RefreshToken). */
    record RefreshTokenResponse(@JsonProperty("refresh_token") String refreshToken) {
    }

    record Errors(@JsonProperty("errors") List<Error> errors) {
        static Errors of(String code, String message) { return new Errors(List.of(new Error(code, message, null))); }
    }

    record Error(@JsonProperty("code") String code, @JsonProperty("message") String message, @JsonProperty("detail") Object detail) {
    }
}
