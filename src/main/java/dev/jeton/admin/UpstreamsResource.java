package dev.jeton.admin;

import dev.jeton.engine.upstream.UpstreamAdmin;
import dev.jeton.model.Failure;
import dev.jeton.model.Secret;
import dev.jeton.model.Upstream;
import io.helidon.http.Method;

import java.util.List;

/**
 * Upstream identity providers ("Sign in with NAME"): list, add, show, remove. The client secret
 * is taken in the request body, sealed with the master key, and never answered.
 */
public final class UpstreamsResource implements AdminResource {
    private final UpstreamAdmin upstreams;
    private final String redirectUri;

    /** {@code redirectUri}: Jeton's callback, which the provider must have registered for Jeton's client. */
    public UpstreamsResource(UpstreamAdmin upstreams, String redirectUri) {
        this.upstreams = upstreams;
        this.redirectUri = redirectUri;
    }

    @Override
    public String kind() { return "upstreams"; }

    @Override
    public void routes(AdminRoutes routes) {
        routes.read("", call -> call.page(upstreams.list(), Upstream::name, this::wire));
        routes.change(Method.POST, "", call -> {
            NewUpstreamBody b = call.body(NewUpstreamBody.class);
            Fields.required("name", b.name());
            Fields.required("issuer", b.issuer());
            Fields.required("client_id", b.clientId());
            Fields.required("client_secret", b.clientSecret());
            Upstream added = call.changes().addUpstream(new UpstreamAdmin.Draft(b.name(), b.issuer(), b.clientId(),
                    new Secret(b.clientSecret()), b.claimUser(), b.claimGroups(), b.allowedDomains(), b.scope()));
            Upstream stored = find(added.name());
            call.created(routes.location(stored.name()), wire(stored), etag(stored));
        });
        routes.read("/{name}", call -> {
            Upstream upstream = find(call.path("name"));
            call.ok(wire(upstream), etag(upstream));
        });
        routes.change(Method.DELETE, "/{name}", call -> {
            call.requireMatch(etag(find(call.path("name"))));
            call.changes().removeUpstream(call.path("name"));
            call.noContent();
        });
    }

    private Upstream find(String name) {
        return upstreams.show(name).orElseThrow(() -> Failure.notFound("no upstream named '" + name + "'"));
    }

    private UpstreamWire wire(Upstream u) {
        return new UpstreamWire(u.name(), u.issuer(), u.clientId(), u.userClaim(), u.groupsClaim(), u.allowedDomains(), u.scope(),
                redirectUri, u.createdAt().toString());
    }

    /** Its id and sealed secret are hidden state: removed and added again under the same name is another upstream. */
    private String etag(Upstream u) { return Etags.of(wire(u), u.id(), u.sealedSecret()); }

    /** An upstream as the API shows it: never its client secret, sealed or not. */
    record UpstreamWire(String name, String issuer, String clientId, String claimUser, String claimGroups, List<String> allowedDomains,
                        String scope, String redirectUri, String createdAt) {
    }

    /** {@code claimUser}, {@code claimGroups}, {@code allowedDomains} and {@code scope} absent: the defaults. */
    record NewUpstreamBody(String name, String issuer, String clientId, String clientSecret, String claimUser, String claimGroups,
                           List<String> allowedDomains, String scope) {
    }
}
