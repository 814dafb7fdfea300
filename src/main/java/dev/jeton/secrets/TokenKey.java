package dev.jeton.secrets;

import dev.jeton.model.Secret;

import java.util.Base64;
import java.util.HexFormat;

/**
 * How a stored token's row is found and proved: {@code lookup}, the row's key, and
 * {@code hash}, the SHA-256 of the whole token, both in lowercase hex.
 * <p>
 * A token that is 256 bits in URL-safe base64, as {@link RandomTokens#timeOrderedSecret} makes
 * them, is found by its first 128 bits, which begin with its issue time: each new row then goes
 * at the right-hand edge of the key's index, beside the last one, where a hash key put it on a
 * random page of the whole index (on a store of a million tokens, a page to read and write back
 * at every checkpoint, per rotation; bench/README.md, ninth round). The other 128 bits are in
 * the database only as part of the hash, so a copy of the database still cannot present a token.
 * Any other token (a registry JWT) has its hash as its lookup. Rows written before lookups
 * existed have their hash as their lookup too, so the store looks a presented token up by both
 * keys, and a token issued before the upgrade still works.
 */
public record TokenKey(String lookup, String hash) {
    private static final HexFormat HEX = HexFormat.of();
    private static final Base64.Decoder URL = Base64.getUrlDecoder();
    /** URL-safe base64 of 32 bytes without padding. */
    private static final int SECRET_CHARS = 43;
    private static final int LOOKUP_BYTES = 16;

    public static TokenKey of(Secret token) {
        String hash = HEX.formatHex(SecretHash.of(token));
        byte[] raw = decoded(token.value());
        return new TokenKey(raw == null ? hash : HEX.formatHex(raw, 0, LOOKUP_BYTES), hash);
    }

    /** The 32 bytes of a 43-character URL-safe base64 token, else null. */
    private static byte[] decoded(String value) {
        if (value.length() != SECRET_CHARS) return null;
        try {
            byte[] raw = URL.decode(value);
            return raw.length == 32 ? raw : null;   // a '=' inside ends the value early
        } catch (IllegalArgumentException e) {
            return null;   // not URL-safe base64: a token of some other shape
        }
    }

    /** Half of a new token is its lookup: never a log's business. */
    @Override
    public String toString() { return "TokenKey[***]"; }
}
