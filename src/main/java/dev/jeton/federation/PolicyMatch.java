package dev.jeton.federation;

import dev.jeton.model.TrustPolicy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One trust policy compiled once at load: its subject and claim conditions as matchers, so no
 * request compiles a pattern. A value with {@code *} is a glob ({@code *} is any run of
 * characters, {@code /} and {@code :} included), anything else must be equal. A claim key that
 * starts with {@code /} is a JSON pointer into nested claims ({@code /kubernetes.io/namespace});
 * an array claim matches when one of its elements does.
 */
public record PolicyMatch(TrustPolicy policy, Pattern subject, List<ClaimCondition> claims) {

    static PolicyMatch compile(TrustPolicy policy) {
        List<ClaimCondition> claims = new ArrayList<>();
        policy.claims().forEach((key, value) -> claims.add(new ClaimCondition(key, glob(value))));
        return new PolicyMatch(policy, glob(policy.subject()), List.copyOf(claims));
    }

    boolean audienceIn(List<String> audiences) {
        return audiences.contains(policy.audience());
    }

    boolean matches(String sub, Map<String, Object> tokenClaims) {
        if (!subject.matcher(sub).matches()) return false;
        for (ClaimCondition condition : claims) {
            if (!condition.holds(tokenClaims)) return false;
        }
        return true;
    }

    /** {@code *} is any run of characters, everything else literal: trust policies' one pattern language. */
    public static Pattern glob(String text) {
        StringBuilder regex = new StringBuilder();
        int start = 0;
        for (int star = text.indexOf('*'); star >= 0; star = text.indexOf('*', start)) {
            if (star > start) regex.append(Pattern.quote(text.substring(start, star)));
            regex.append(".*");
            start = star + 1;
        }
        if (start < text.length()) regex.append(Pattern.quote(text.substring(start)));
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    record ClaimCondition(String key, Pattern value) {
        boolean holds(Map<String, Object> claims) {
            Object found = key.startsWith("/") ? pointer(claims, key) : claims.get(key);
            if (found instanceof List<?> list) return list.stream().anyMatch(this::matchesScalar);
            return matchesScalar(found);
        }

        private boolean matchesScalar(Object v) {
            return (v instanceof String || v instanceof Number || v instanceof Boolean) && value.matcher(v.toString()).matches();
        }

        /** RFC 6901, with its ~1 and ~0 escapes. */
        private static Object pointer(Map<String, Object> claims, String path) {
            Object at = claims;
            for (String raw : path.substring(1).split("/", -1)) {
                String segment = raw.replace("~1", "/").replace("~0", "~");
                if (!(at instanceof Map<?, ?> map)) return null;
                at = map.get(segment);
            }
            return at;
        }
    }
}
