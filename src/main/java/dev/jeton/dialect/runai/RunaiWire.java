package dev.jeton.dialect.runai;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Run:ai's JSON shapes: snake_case for the app token, camelCase for the token API. */
final class RunaiWire {
    private RunaiWire() {
    }

    record AppTokenResponse(@JsonProperty("access_token") String accessToken, @JsonProperty("id_token") String idToken) {
    }

    record TokenResponse(
            @JsonProperty("accessToken") String accessToken,
            @JsonProperty("idToken") String idToken,
            @JsonProperty("refreshToken") String refreshToken,
            @JsonProperty("externalToken") String externalToken,
            @JsonProperty("expiresIn") Long expiresIn) {
    }

    record Error(@JsonProperty("code") int code, @JsonProperty("message") String message, @JsonProperty("details") String details) {
    }
}
