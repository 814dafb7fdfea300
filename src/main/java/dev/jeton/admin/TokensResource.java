package dev.jeton.admin;

import dev.jeton.engine.Revocation;
import dev.jeton.model.Failure;
import io.helidon.http.Method;

import java.util.Optional;

/**
 * Revocation: a token (an access token is denied until it expires; a refresh token revokes its
 * family) or a refresh family by id. Revoking is idempotent and the token is never echoed.
 */
public final class TokensResource implements AdminResource {
    @Override
    public String kind() { return "tokens"; }

    @Override
    public void routes(AdminRoutes routes) {
        routes.change(Method.POST, "/revoke", call -> {
            RevokeBody body = call.body(RevokeBody.class);
            Fields.required("token", body.token());
            Optional<Revocation.Revoked> revoked = call.changes().revokeToken(body.token());
            if (revoked.isEmpty()) throw Failure.notFound("not a token of this server: nothing was revoked");
            call.ok(new RevokedWire(revoked.get().kind(), revoked.get().jti(), revoked.get().familyId()));
        });
        routes.change(Method.POST, "/families/{id}/revoke", call -> {
            String id = call.path("id");
            if (!call.changes().revokeFamily(id)) throw Failure.notFound("no active refresh family '" + id + "'");
            call.ok(new RevokedWire("refresh_family", null, id));
        });
    }

    record RevokeBody(String token) {
    }

    /** What was revoked: its kind, the access token's jti or the refresh family's id. */
    record RevokedWire(String kind, String jti, String familyId) {
    }
}
