package dev.jeton.model;

import java.time.Instant;
import java.util.Set;

/**
 * Lets a subject (a user, an app, a group, a managed identity, or anyone at all) act on the repositories whose
 * names match a glob ({@code *} any characters, {@code ?} one).
 */
public record AccessRule(String id, SubjectKindOfRule subjectKind, String subjectName, String repositoryPattern, Set<String> actions,
                         Instant createdAt) {
    public AccessRule {
        actions = java.util.Collections.unmodifiableSet(new java.util.TreeSet<>(actions));
    }

    public enum SubjectKindOfRule { USER, APP, GROUP, IDENTITY, ANONYMOUS }

    /** The rule's subject as the CLI writes it: {@code user:NAME}, {@code app:NAME}, {@code group:NAME}, {@code identity:NAME}, {@code anonymous}. */
    public String subject() {
        return subjectKind == SubjectKindOfRule.ANONYMOUS ? "anonymous"
                : subjectKind.name().toLowerCase(java.util.Locale.ROOT) + ":" + subjectName;
    }
}
