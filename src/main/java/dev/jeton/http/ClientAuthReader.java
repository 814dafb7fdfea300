package dev.jeton.http;

import dev.jeton.model.ClientAuth;
import dev.jeton.model.Failure;
import dev.jeton.model.Secret;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Client credentials from {@code client_secret_basic} or {@code client_secret_post} (RFC 6749
 * 2.3.1), or a client assertion ({@code private_key_jwt}, RFC 7523 2.2). Using two methods at
 * once is refused, as the RFC requires.
 */
public final class ClientAuthReader {
    private ClientAuthReader() {
    }

    private static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    public static ClientAuth read(String authorization, Form form) {
        BasicCredentials basic = BasicCredentials.parse(authorization);
        String formId = form.single("client_id");
        String formSecret = form.single("client_secret");
        String assertionType = form.single("client_assertion_type");
        String assertion = form.single("client_assertion");
        if (assertionType != null || assertion != null) {
            if (basic != null || formSecret != null) throw Failure.invalidRequest("use one client authentication method, not a client_assertion and a secret both");
            if (!JWT_BEARER.equals(assertionType)) {
                throw Failure.invalidRequest("client_assertion_type", "client_assertion_type must be " + JWT_BEARER);
            }
            if (assertion == null || assertion.isEmpty()) throw Failure.invalidRequest("client_assertion", "client_assertion is required");
            String id = formId != null ? formId : claimedSubject(assertion);
            return new ClientAuth(id, new Secret(assertion), ClientAuth.Method.JWT);
        }
        if (basic != null) {
            if (formSecret != null) throw Failure.invalidRequest("use one client authentication method, not Basic and client_secret both");
            // RFC 6749 2.3.1: the id and secret are form-urlencoded before Basic encoding.
            String id = formDecode(basic.user());
            if (formId != null && !formId.equals(id)) throw Failure.invalidRequest("client_id does not match the Basic credentials");
            return new ClientAuth(id, new Secret(formDecode(basic.password())), ClientAuth.Method.BASIC);
        }
        if (formSecret != null) return new ClientAuth(formId, new Secret(formSecret), ClientAuth.Method.POST);
        return ClientAuth.none(formId);
    }

    /**
     * The {@code sub} the assertion claims, unverified: only to name the client for rate limits
     * and the audit log until the engine has checked the signature. Null when unreadable.
     */
    private static String claimedSubject(String assertion) {
        String[] parts = assertion.split("\\.", -1);
        if (parts.length != 3) return null;
        try {
            var payload = Json.MAPPER.readTree(java.util.Base64.getUrlDecoder().decode(parts[1]));
            var sub = payload == null ? null : payload.get("sub");
            return sub != null && sub.isTextual() ? sub.asText() : null;
        } catch (java.io.IOException | IllegalArgumentException e) {
            return null;
        }
    }

    private static String formDecode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw Failure.invalidClient("malformed percent-encoding in the Basic credentials");
        }
    }
}
