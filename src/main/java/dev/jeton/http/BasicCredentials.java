package dev.jeton.http;

import dev.jeton.model.Failure;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** The user and password of an {@code Authorization: Basic} header. */
public record BasicCredentials(String user, String password) {

    /** Null when the header is absent or uses another scheme; INVALID_CLIENT when it is Basic but malformed. */
    public static BasicCredentials parse(String header) {
        if (header == null) return null;
        if (header.length() < 6 || !header.regionMatches(true, 0, "Basic ", 0, 6)) return null;
        String decoded;
        try {
            decoded = StandardCharsets.UTF_8.newDecoder()
                    .decode(java.nio.ByteBuffer.wrap(Base64.getDecoder().decode(header.substring(6).trim()))).toString();
        } catch (IllegalArgumentException | java.nio.charset.CharacterCodingException e) {
            throw Failure.invalidClient("the Basic authorization header is not valid base64 of UTF-8");
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) throw Failure.invalidClient("the Basic authorization header has no ':' between user and password");
        return new BasicCredentials(decoded.substring(0, colon), decoded.substring(colon + 1));
    }
}
