package dev.jeton.model;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/** The space-delimited scope list of RFC 6749 section 3.3. */
public final class Scopes {
    private Scopes() {
    }

    /** Null or only spaces means "no scope asked for" and yields null. */
    public static Set<String> parse(String wire) {
        if (wire == null) return null;
        Set<String> out = new LinkedHashSet<>();
        // Only spaces separate scope-tokens; a tab or control character is refused, not trimmed away.
        for (int start = 0, end; start < wire.length(); start = end + 1) {
            end = wire.indexOf(' ', start);
            if (end < 0) end = wire.length();
            if (end == start) continue;
            for (int i = start; i < end; i++) {
                char c = wire.charAt(i);
                // scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
                if (c < 0x21 || c == 0x22 || c == 0x5C || c > 0x7E) {
                    throw Failure.invalidScope("scope contains a character RFC 6749 does not allow");
                }
            }
            out.add(wire.substring(start, end));
        }
        return out.isEmpty() ? null : Collections.unmodifiableSet(out);
    }

    public static String format(Set<String> scopes) {
        return scopes == null ? "" : String.join(" ", scopes);
    }
}
