package dev.jeton.model;

import java.util.List;

/**
 * OIDC UserInfo claims for the subject of an access token; {@code username} and {@code groups}
 * only for users, {@code profile} holding only what the token's scopes ({@code profile},
 * {@code email}) release (OIDC Core 5.4).
 */
public record UserInfo(String subject, String username, List<String> groups, String clientId, UserProfile profile) {
    public UserInfo(String subject, String username, List<String> groups, String clientId) {
        this(subject, username, groups, clientId, UserProfile.EMPTY);
    }
}
