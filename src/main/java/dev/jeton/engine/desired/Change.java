package dev.jeton.engine.desired;

import java.util.Map;

/**
 * One thing apply would do to one resource: create it, update some of its fields (each from its
 * current to its wanted value), or delete it (only with prune).
 */
public record Change(Kind kind, String key, Action action, Map<String, Field> fields, Object wanted, Object current) {
    public enum Kind {
        USER("user"), API_KEY("api key"), NODE("node"), UPSTREAM("upstream"), CLIENT("client"), IDENTITY("identity"), TRUST_POLICY("trust policy"), RULE("rule");

        private final String label;

        Kind(String label) { this.label = label; }

        public String label() { return label; }
    }

    public enum Action { CREATE, UPDATE, DELETE }

    public record Field(Object from, Object to) {
    }

    /** As {@code jeton diff} prints it: {@code + client ci}, {@code ~ user alice: disabled false -> true}. */
    public String describe() {
        String head = switch (action) {
            case CREATE -> "+ ";
            case UPDATE -> "~ ";
            case DELETE -> "- ";
        } + kind.label() + " " + key;
        if (action != Action.UPDATE) return head;
        StringBuilder out = new StringBuilder(head);
        fields.forEach((name, f) -> out.append("\n    ").append(name).append(": ").append(f.from()).append(" -> ").append(f.to()));
        return out.toString();
    }
}
