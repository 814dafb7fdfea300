package dev.jeton.model;

/**
 * A requested scope that was granted only in part (or not at all), and why: {@code rule:ID}
 * for the rules that matched but allowed less, {@code rule.no_match} when none applied.
 */
public record ScopeLimit(String requested, String granted, String reason) {
}
