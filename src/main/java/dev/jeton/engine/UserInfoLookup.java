package dev.jeton.engine;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.jeton.model.Failure;
import dev.jeton.model.User;
import dev.jeton.model.UserInfo;
import dev.jeton.model.UserProfile;
import dev.jeton.store.UserStore;

import java.text.ParseException;
import java.util.List;
import java.util.Set;

/** OIDC Core 5.3: claims about the subject of a valid access token. */
public final class UserInfoLookup {
    private final AccessTokens accessTokens;
    private final UserStore users;

    public UserInfoLookup(AccessTokens accessTokens, UserStore users) {
        this.accessTokens = accessTokens;
        this.users = users;
    }

    public UserInfo forBearer(String accessToken) {
        JWTClaimsSet claims = accessTokens.verify(accessToken);
        String clientId;
        try {
            clientId = claims.getStringClaim("client_id");
        } catch (ParseException e) {
            throw Failure.invalidToken("token has a malformed client_id");
        }
        String username;
        try {
            username = claims.getStringClaim("preferred_username");
        } catch (ParseException e) {
            username = null;
        }
        if (username == null) return new UserInfo(claims.getSubject(), null, List.of(), clientId);
        User user = users.byId(claims.getSubject()).orElseThrow(() -> Failure.invalidToken("the user of this token is gone"));
        if (user.disabled()) throw Failure.invalidToken("the user of this token is disabled");
        return new UserInfo(user.id(), user.name(), user.groups(), clientId, released(users.profile(user.id()), scopes(claims)));
    }

    /** OIDC Core 5.4: {@code profile} releases the names, {@code email} the address and whether it was verified. */
    static UserProfile released(UserProfile profile, Set<String> scope) {
        boolean names = scope.contains("profile");
        boolean email = scope.contains("email") && profile.email() != null;
        return new UserProfile(names ? profile.name() : null, names ? profile.givenName() : null, names ? profile.familyName() : null,
                email ? profile.email() : null, email && profile.emailVerified());
    }

    private static Set<String> scopes(JWTClaimsSet claims) {
        Object scope = claims.getClaim("scope");
        return scope instanceof String s ? Set.of(s.trim().split(" +")) : Set.of();
    }
}
