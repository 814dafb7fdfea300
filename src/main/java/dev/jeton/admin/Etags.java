package dev.jeton.admin;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Entity tags: a hash of a resource's representation plus any state it does not show (a client's
 * secret hash), so the tag moves with every change, whoever made it (the CLI, another admin,
 * another instance). No version column is needed, and a tag cannot be guessed into a match.
 */
final class Etags {
    private Etags() {
    }

    static String of(Object representation, String... hiddenState) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(AdminJson.bytes(representation));
            for (String s : hiddenState) {
                sha.update((byte) 0);
                if (s != null) sha.update(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(sha.digest()).substring(0, 27) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** RFC 9110 13.1.1: {@code *} or a list of tags, one of which must match (strong comparison). */
    static boolean matches(String ifMatch, String current) {
        String trimmed = ifMatch.trim();
        if (trimmed.equals("*")) return true;
        for (String tag : trimmed.split(",")) {
            if (tag.trim().equals(current)) return true;
        }
        return false;
    }
}
