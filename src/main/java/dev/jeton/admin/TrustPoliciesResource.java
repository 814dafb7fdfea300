package dev.jeton.admin;

import dev.jeton.engine.federation.TrustAdmin;
import dev.jeton.model.Failure;
import dev.jeton.model.TrustPolicy;
import io.helidon.http.Method;

import java.util.List;
import java.util.Map;

/** Trust policies: which workload tokens are accepted as which principal. List, add, show, delete. */
public final class TrustPoliciesResource implements AdminResource {
    private final TrustAdmin trust;

    public TrustPoliciesResource(TrustAdmin trust) { this.trust = trust; }

    @Override
    public String kind() { return "trust-policies"; }

    @Override
    public void routes(AdminRoutes routes) {
        routes.read("", call -> call.page(trust.list(), TrustPolicy::name, PolicyWire::of));
        routes.change(Method.POST, "", call -> {
            NewPolicyBody b = call.body(NewPolicyBody.class);
            Fields.required("name", b.name());
            Fields.required("issuer", b.issuer());
            Fields.required("audience", b.audience());
            Fields.required("subject", b.subject());
            Fields.required("as", b.as());
            List<String> claims = b.claims() == null ? List.of()
                    : b.claims().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
            PolicyWire wire = PolicyWire.of(find(call.changes().addTrustPolicy(new TrustAdmin.Draft(b.name(), b.issuer(), b.audience(), b.subject(),
                    claims, b.as(), Fields.duration("max_ttl", b.maxTtl()), b.jwksFile())).name()));
            call.created(routes.location(wire.name()), wire, Etags.of(wire));
        });
        routes.read("/{name}", call -> {
            PolicyWire wire = PolicyWire.of(find(call.path("name")));
            call.ok(wire, Etags.of(wire));
        });
        routes.change(Method.DELETE, "/{name}", call -> {
            call.requireMatch(Etags.of(PolicyWire.of(find(call.path("name")))));
            call.changes().removeTrustPolicy(call.path("name"));
            call.noContent();
        });
    }

    private TrustPolicy find(String name) {
        return trust.show(name).orElseThrow(() -> Failure.notFound("no trust policy named '" + name + "'"));
    }

    /** {@code claims}: claim (or JSON pointer) to exact value or glob, all of which must hold. */
    record PolicyWire(String name, String issuer, String audience, String subject, Map<String, String> claims, String as, String maxTtl,
                      String jwksFile, String createdAt) {
        static PolicyWire of(TrustPolicy p) {
            return new PolicyWire(p.name(), p.issuer(), p.audience(), p.subject(), p.claims(), p.as().toString(), Fields.format(p.maxTtl()),
                    p.jwksFile(), p.createdAt().toString());
        }
    }

    record NewPolicyBody(String name, String issuer, String audience, String subject, Map<String, String> claims, String as, String maxTtl,
                         String jwksFile) {
    }
}
