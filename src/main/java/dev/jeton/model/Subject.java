package dev.jeton.model;

/** Who a token is about: kind, stable id (the JWT {@code sub}) and human name. */
public record Subject(SubjectKind kind, String id, String name) {
}
