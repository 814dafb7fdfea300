package dev.jeton.keys;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * JWS compact serialization (RFC 7515 section 7.1) written directly: the header is encoded once
 * per key, the payload is the caller's exact JSON, and base64url is the JDK's intrinsic encoder.
 * Nimbus spent as long building and encoding a token this way as the signature itself took.
 */
final class CompactJws {
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private CompactJws() {
    }

    /** The protected header as base64url bytes, ready to lead every token of one key. */
    static byte[] header(String algorithm, String kid, String certificateBase64) {
        ClaimsJson json = new ClaimsJson().string("alg", algorithm).string("kid", kid).string("typ", "JWT");
        if (certificateBase64 != null) json.strings("x5c", List.of(certificateBase64));
        return BASE64URL.encode(json.end().getBytes(StandardCharsets.UTF_8));
    }

    static String sign(byte[] encodedHeader, String payloadJson, JwsSigner signer) {
        byte[] payload = BASE64URL.encode(payloadJson.getBytes(StandardCharsets.UTF_8));
        byte[] signature = BASE64URL.encode(signer.sign(encodedHeader, payload));
        byte[] token = new byte[encodedHeader.length + 1 + payload.length + 1 + signature.length];
        System.arraycopy(encodedHeader, 0, token, 0, encodedHeader.length);
        int at = encodedHeader.length;
        token[at++] = '.';
        System.arraycopy(payload, 0, token, at, payload.length);
        at += payload.length;
        token[at++] = '.';
        System.arraycopy(signature, 0, token, at, signature.length);
        // base64url is ASCII: a Latin-1 string takes the bytes as they are, without decoding.
        return new String(token, StandardCharsets.ISO_8859_1);
    }
}
