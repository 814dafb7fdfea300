package dev.jeton.model;

import java.util.List;

/**
 * One scope of Docker's token grammar, {@code type[(class)]:name:actions}: what a registry
 * client asks for, and (with the granted subset of actions) what its token carries.
 */
public record AccessScope(String type, String resourceClass, String name, List<String> actions) {
    public AccessScope {
        actions = List.copyOf(actions);
    }

    public AccessScope withActions(List<String> granted) {
        return new AccessScope(type, resourceClass, name, granted);
    }

    /** Back to the wire form, e.g. {@code repository:team/app:pull,push}. */
    public String format() {
        return type + (resourceClass == null ? "" : "(" + resourceClass + ")") + ":" + name + ":" + String.join(",", actions);
    }
}
