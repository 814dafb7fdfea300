package dev.jeton.http;

import dev.jeton.model.ClientAuth;
import dev.jeton.model.Failure;
import dev.jeton.model.Secret;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Client credentials from {@code client_secret_basic} or {@code client_secret_post} (RFC 6749
 * 2.3.1). Using both at once is refused, as the RFC requires.
 */
public final class ClientAuthReader {
    private ClientAuthReader() {
    }

    public static ClientAuth read(String authorization, Form form) {
        BasicCredentials basic = BasicCredentials.parse(authorization);
        String formId = form.single("client_id");
        String formSecret = form.single("client_secret");
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

    private static String formDecode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw Failure.invalidClient("malformed percent-encoding in the Basic credentials");
        }
    }
}
