package dev.jeton.model;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/** The space-delimited scope list of RFC 6749 section 3.3. */
public final class Scopes {
    private Scopes() {
    }

    /** Null or blank input means "no scope asked for" and yields null. */
    public static Set<String> parse(String wire) {
        if (wire == null || wire.isBlank()) return null;
        Set<String> out = new LinkedHashSet<>();
        for (String s : wire.trim().split(" +")) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                // scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
                if (c < 0x21 || c == 0x22 || c == 0x5C || c > 0x7E) {
                    throw Failure.invalidScope("scope contains a character RFC 6749 does not allow");
                }
            }
            out.add(s);
        }
        return Collections.unmodifiableSet(out);
    }

    public static String format(Set<String> scopes) {
        return scopes == null ? "" : String.join(" ", scopes);
    }
}
