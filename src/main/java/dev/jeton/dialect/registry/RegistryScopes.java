package dev.jeton.dialect.registry;

import dev.jeton.model.AccessScope;
import dev.jeton.model.Failure;

import java.util.ArrayList;
import java.util.List;

/**
 * Docker's scope grammar as real clients send it:
 * <pre>
 * scope         = resourcescope *( 1*SP resourcescope )     ; and scope= may repeat
 * resourcescope = resourcetype ":" resourcename ":" [ action *( "," action ) ]
 * resourcetype  = typename [ "(" typename ")" ]            ; repository(plugin)
 * typename      = 1*( ALPHA / DIGIT / "-" / "_" / "." )     ; artifact-repository (azure-cli)
 * resourcename  = 1*( any character but SP and controls )  ; may hold ":" (localhost:5000/app)
 * action        = 1*( any character but SP, "," and controls ) ; pull, *, metadataRead (ACR)
 * </pre>
 * The type ends at the first colon and the actions start after the last, as Distribution's
 * grammar note and docker_auth read them. This is a superset of Distribution's
 * {@code [a-z0-9]+} types and {@code [a-z]*} actions: what a registry does not know is
 * a resource that gets no actions, not a bad request. Only what cannot be a scope at all (no
 * two colons, an empty type or name, unbalanced parentheses, a control character) is refused.
 */
final class RegistryScopes {
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
            if (scope.charAt(i) < 0x20 || scope.charAt(i) == 0x7F) throw invalid(scope, "it contains a control character");
        }
        int first = scope.indexOf(':');
        int last = scope.lastIndexOf(':');
        if (first < 0 || last == first) throw invalid(scope, "expected type:name:actions");
        String name = scope.substring(first + 1, last);
        if (name.isEmpty()) throw invalid(scope, "the resource name is empty");
        String type = scope.substring(0, first);
        String resourceClass = null;
        int open = type.indexOf('(');
        if (open >= 0) {
            if (!type.endsWith(")")) throw invalid(scope, "expected type(class)");
            resourceClass = type.substring(open + 1, type.length() - 1);
            type = type.substring(0, open);
            if (!isTypeName(resourceClass)) throw invalid(scope, "the class must be letters, digits, '-', '_' or '.'");
        }
        if (!isTypeName(type)) throw invalid(scope, "the type must be letters, digits, '-', '_' or '.'");
        List<String> actions = new ArrayList<>();
        for (String action : scope.substring(last + 1).split(",")) {
            if (!action.isEmpty()) actions.add(action);
        }
        return new AccessScope(type, resourceClass, name, actions);
    }

    private static boolean isTypeName(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
            if (!ok) return false;
        }
        return true;
    }

    private static Failure invalid(String scope, String why) {
        String cut = scope.length() > 80 ? scope.substring(0, 80) + "..." : scope;
        String shown = cut.replaceAll("[\\p{Cntrl}]", "?");
        return Failure.invalidRequest("scope", "invalid scope '" + shown + "': " + why);
    }
}
