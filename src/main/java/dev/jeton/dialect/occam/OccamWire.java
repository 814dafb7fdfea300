package dev.jeton.dialect.occam;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.jeton.model.Issued;

import java.util.List;
import java.util.Map;

/** The original FastAPI service's JSON shapes. Every time is whole epoch seconds: its client rejects floats. */
final class OccamWire {
    private OccamWire() {
    }

    record AccessAndRefreshTokenResponse(
            @JsonProperty("token_type") String tokenType,
            @JsonProperty("access_token") String accessToken,
            @JsonProperty("expires_at") long expiresAt,
            @JsonProperty("refresh_token") String refreshToken,
            @JsonProperty("refresh_token_expires_at") long refreshTokenExpiresAt) {

        static AccessAndRefreshTokenResponse of(Issued issued) {
            return new AccessAndRefreshTokenResponse("Bearer", issued.accessToken(), issued.expiresAt().getEpochSecond(),
                    issued.refreshToken().value(), issued.refreshExpiresAt().getEpochSecond());
        }
    }

    record AccessTokenResponse(
            @JsonProperty("token_type") String tokenType,
            @JsonProperty("access_token") String accessToken,
            @JsonProperty("expires_at") long expiresAt) {

        static AccessTokenResponse of(Issued issued) {
            return new AccessTokenResponse("Bearer", issued.accessToken(), issued.expiresAt().getEpochSecond());
        }
    }

    /** FastAPI's HTTPException body. */
    record Detail(@JsonProperty("detail") String detail) {
    }

    /** FastAPI's 422 body. */
    record ValidationErrors(@JsonProperty("detail") List<ValidationError> detail) {
    }

    /** One pydantic error; {@code input} is written even when null, {@code ctx} only when there is one. */
    record ValidationError(
            @JsonProperty("type") String type,
            @JsonProperty("loc") List<Object> loc,
            @JsonProperty("msg") String msg,
            @JsonProperty("input") @JsonInclude(JsonInclude.Include.ALWAYS) Object input,
            @JsonProperty("ctx") Map<String, Object> ctx) {

        static ValidationError missing(List<Object> loc, Object input) {
            return new ValidationError("missing", loc, "Field required", input, null);
        }
    }
}
