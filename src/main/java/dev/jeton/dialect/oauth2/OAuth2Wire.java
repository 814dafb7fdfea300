package dev.jeton.dialect.oauth2;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.jeton.http.JsonBody;
import dev.jeton.http.JsonObject;
import dev.jeton.model.Issued;
import dev.jeton.model.Scopes;
import dev.jeton.model.TokenInfo;
import dev.jeton.model.UserInfo;

import java.time.Instant;
import java.util.List;

/** The JSON shapes of RFC 6749, 7662, 7009, 8414 and OIDC Core, as records. */
final class OAuth2Wire {
    private OAuth2Wire() {
    }

    /** RFC 6749 5.1. */
    record TokenResponse(
            @JsonProperty("access_token") String accessToken,
            @JsonProperty("token_type") String tokenType,
            @JsonProperty("expires_in") long expiresIn,
            @JsonProperty("scope") String scope,
            @JsonProperty("refresh_token") String refreshToken,
            @JsonProperty("id_token") String idToken,
            @JsonProperty("issued_token_type") String issuedTokenType) implements JsonBody {

        static TokenResponse of(Issued issued) { return of(issued, null); }

        static TokenResponse of(Issued issued, String issuedTokenType) {
            return new TokenResponse(issued.accessToken(), "Bearer", issued.expiresInSeconds(), Scopes.format(issued.scope()),
                    issued.refreshToken() == null ? null : issued.refreshToken().value(), issued.idToken(), issuedTokenType);
        }

        /** What Json.MAPPER writes, written directly: Jackson was 4% of a client_credentials request (OAuth2WireJsonTest). */
        @Override
        public byte[] json() {
            return new JsonObject(accessToken.length() + 200).string("access_token", accessToken).string("token_type", tokenType)
                    .number("expires_in", expiresIn).string("scope", scope).string("refresh_token", refreshToken)
                    .string("id_token", idToken).string("issued_token_type", issuedTokenType).bytes();
        }
    }

    /** RFC 6749 5.2. */
    record ErrorResponse(
            @JsonProperty("error") String error,
            @JsonProperty("error_description") String description) {
    }

    /** RFC 7662 2.2. {@code aud} is a string when there is one audience, an array otherwise. */
    record IntrospectionResponse(
            @JsonProperty("active") boolean active,
            @JsonProperty("scope") String scope,
            @JsonProperty("client_id") String clientId,
            @JsonProperty("username") String username,
            @JsonProperty("token_type") String tokenType,
            @JsonProperty("exp") Long exp,
            @JsonProperty("iat") Long iat,
            @JsonProperty("nbf") Long nbf,
            @JsonProperty("sub") String sub,
            @JsonProperty("aud") Object aud,
            @JsonProperty("iss") String iss,
            @JsonProperty("jti") String jti) {

        static IntrospectionResponse of(TokenInfo info) {
            if (!info.active()) return new IntrospectionResponse(false, null, null, null, null, null, null, null, null, null, null, null);
            List<String> aud = info.audience();
            Object audience = aud == null || aud.isEmpty() ? null : aud.size() == 1 ? aud.getFirst() : aud;
            return new IntrospectionResponse(true, info.scope(), info.clientId(), info.username(), info.tokenType(),
                    seconds(info.expiresAt()), seconds(info.issuedAt()), seconds(info.notBefore()), info.subject(), audience,
                    info.issuer(), info.jti());
        }
    }

    /** OIDC Core 5.3.2. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    record UserInfoResponse(
            @JsonProperty("sub") String sub,
            @JsonProperty("preferred_username") String preferredUsername,
            @JsonProperty("name") String name,
            @JsonProperty("given_name") String givenName,
            @JsonProperty("family_name") String familyName,
            @JsonProperty("email") String email,
            @JsonProperty("email_verified") Boolean emailVerified,
            @JsonProperty("groups") List<String> groups,
            @JsonProperty("client_id") String clientId) {

        static UserInfoResponse of(UserInfo info) {
            var p = info.profile();
            return new UserInfoResponse(info.subject(), info.username(), p.name(), p.givenName(), p.familyName(), p.email(),
                    p.email() == null ? null : p.emailVerified(), info.groups(), info.clientId());
        }
    }

    /** RFC 8414 / OIDC Discovery 1.0 section 3. Only what Jeton does: no hybrid or implicit flow, no request objects. */
    record Discovery(
            @JsonProperty("issuer") String issuer,
            @JsonProperty("authorization_endpoint") String authorizationEndpoint,
            @JsonProperty("token_endpoint") String tokenEndpoint,
            @JsonProperty("jwks_uri") String jwksUri,
            @JsonProperty("introspection_endpoint") String introspectionEndpoint,
            @JsonProperty("revocation_endpoint") String revocationEndpoint,
            @JsonProperty("userinfo_endpoint") String userinfoEndpoint,
            @JsonProperty("scopes_supported") List<String> scopes,
            @JsonProperty("grant_types_supported") List<String> grantTypes,
            @JsonProperty("response_types_supported") List<String> responseTypes,
            @JsonProperty("response_modes_supported") List<String> responseModes,
            @JsonProperty("code_challenge_methods_supported") List<String> codeChallengeMethods,
            @JsonProperty("subject_types_supported") List<String> subjectTypes,
            @JsonProperty("id_token_signing_alg_values_supported") List<String> idTokenAlgs,
            @JsonProperty("token_endpoint_auth_methods_supported") List<String> tokenAuthMethods,
            @JsonProperty("token_endpoint_auth_signing_alg_values_supported") List<String> tokenAuthAlgs,
            @JsonProperty("introspection_endpoint_auth_methods_supported") List<String> introspectionAuthMethods,
            @JsonProperty("introspection_endpoint_auth_signing_alg_values_supported") List<String> introspectionAuthAlgs,
            @JsonProperty("revocation_endpoint_auth_methods_supported") List<String> revocationAuthMethods,
            @JsonProperty("revocation_endpoint_auth_signing_alg_values_supported") List<String> revocationAuthAlgs,
            @JsonProperty("claims_supported") List<String> claims,
            @JsonProperty("claims_parameter_supported") boolean claimsParameter,
            @JsonProperty("request_parameter_supported") boolean requestParameter,
            @JsonProperty("request_uri_parameter_supported") boolean requestUriParameter,
            @JsonProperty("authorization_response_iss_parameter_supported") boolean issParameter,
            @JsonProperty("device_authorization_endpoint") String deviceAuthorizationEndpoint,
            @JsonProperty("end_session_endpoint") String endSessionEndpoint,
            @JsonProperty("backchannel_logout_supported") boolean backchannelLogout,
            @JsonProperty("backchannel_logout_session_supported") boolean backchannelLogoutSession,
            @JsonProperty("frontchannel_logout_supported") boolean frontchannelLogout) {
    }

    /** RFC 8628 3.2. */
    record DeviceAuthorizationResponse(
            @JsonProperty("device_code") String deviceCode,
            @JsonProperty("user_code") String userCode,
            @JsonProperty("verification_uri") String verificationUri,
            @JsonProperty("verification_uri_complete") String verificationUriComplete,
            @JsonProperty("expires_in") long expiresIn,
            @JsonProperty("interval") long interval) {
    }

    private static Long seconds(Instant t) { return t == null ? null : t.getEpochSecond(); }
}
