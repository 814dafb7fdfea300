package dev.jeton.dialect.registry;

import dev.jeton.model.AccessScope;
import dev.jeton.model.Failure;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Docker's scope grammar, {@code resourcetype[(class)]:resourcename:action[,action]*}. The type
 * ends at the first colon and the actions start after the last, so names may hold colons
 * ({@code localhost:5000/app}). A parameter may carry several scopes separated by spaces; control
 * characters are refused.
 */
final class RegistryScopes {
    private static final Pattern TYPE = Pattern.compile("([a-z0-9]+)(?:\\(([a-z0-9]+)\\))?");
    private static final int MAX_SCOPES = 64;

    private RegistryScopes() {
    }

    static List<AccessScope> parse(List<String> parameters) {
        List<AccessScope> scopes = new ArrayList<>();
        for (String parameter : parameters) {
            for (int start = 0, end; start < parameter.length(); start = end + 1) {
                end = parameter.indexOf(' ', start);
                if (end < 0) end = parameter.length();
                if (end == start) continue;
                scopes.add(parseOne(parameter.substring(start, end)));
                if (scopes.size() > MAX_SCOPES) throw Failure.invalidRequest("scope", "more than " + MAX_SCOPES + " scopes");
            }
        }
        return scopes;
    }

    static AccessScope parseOne(String scope) {
        // Control characters are no part of any registry name or action (and were once trimmed off one end only).
        for (int i = 0; i < scope.length(); i++) {
            if (scope.charAt(i) < 0x20 || scope.charAt(i) == 0x7F) throw invalid(scope);
        }
        int first = scope.indexOf(':');
        int last = scope.lastIndexOf(':');
        if (first <= 0 || last == first) throw invalid(scope);
        Matcher type = TYPE.matcher(scope.substring(0, first));
        String name = scope.substring(first + 1, last);
        if (!type.matches() || name.isEmpty()) throw invalid(scope);
        List<String> actions = Arrays.stream(scope.substring(last + 1).split(",")).filter(a -> !a.isEmpty()).toList();
        return new AccessScope(type.group(1), type.group(2), name, actions);
    }

    private static Failure invalid(String scope) {
        String cut = scope.length() > 80 ? scope.substring(0, 80) + "..." : scope;
        String shown = cut.replaceAll("[\\p{Cntrl}]", "?");
        return Failure.invalidRequest("scope", "invalid scope '" + shown + "': expected type:name:actions");
    }
}
