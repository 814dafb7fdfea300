package dev.jeton.model;

import java.util.List;

/** OIDC UserInfo claims for the subject of an access token; {@code username} and {@code groups} only for users. */
public record UserInfo(String subject, String username, List<String> groups, String clientId) {
}
