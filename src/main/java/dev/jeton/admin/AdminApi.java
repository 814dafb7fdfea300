package dev.jeton.admin;

import dev.jeton.audit.AuditEvent;
import dev.jeton.audit.AuditLog;
import dev.jeton.engine.AccessTokens;
import dev.jeton.http.Bodies;
import dev.jeton.http.Dialect;
import dev.jeton.http.ErrorWriter;
import dev.jeton.http.Guard;
import dev.jeton.http.Origins;
import dev.jeton.model.Failure;
import io.helidon.webserver.http.HttpRules;

import java.time.Clock;
import java.util.List;

/**
 * The admin REST API under {@code /admin/v1} on the public listener: the same changes as the CLI
 * (AdminChanges), authenticated by Jeton's own access tokens with admin scopes, answering
 * failures as RFC 9457 problem details. Its contract is {@code /openapi/admin.yaml}.
 */
public final class AdminApi implements Dialect {
    private final List<AdminResource> resources;
    private final BearerAuth auth;
    private final ChangeTransactions changes;
    private final Bodies bodies;
    private final Problems problems = new Problems();
    private final AdminRoutes.Refusals refusals;

    /**
     * @param changes runs each change in the name of a token's subject, recorded as that actor's, as one transaction
     */
    public AdminApi(List<AdminResource> resources, AccessTokens tokens, String issuer, ChangeTransactions changes,
                    Bodies bodies, AuditLog audit, Clock clock) {
        this.resources = List.copyOf(resources);
        this.refusals = (req, subject, reason, detail) -> audit.record(AuditEvent.adminRefused(clock.millis(), subject, reason,
                req.prologue().method().text() + " " + req.path().path() + ": " + detail, Origins.of(req)));
        this.auth = new BearerAuth(tokens, issuer);
        this.changes = changes;
        this.bodies = bodies;
    }

    @Override
    public String name() { return "admin"; }

    @Override
    public void routing(HttpRules rules) {
        for (AdminResource resource : resources) {
            resource.routes(new AdminRoutes(rules, resource.kind(), problems, auth, changes, bodies, refusals));
        }
        rules.any(AdminRoutes.BASE + "/*", Guard.guard(problems, (req, res) -> {
            throw Failure.notFound("no admin resource at " + req.prologue().method().text() + " " + req.path().path());
        }));
    }

    @Override
    public ErrorWriter errors() { return problems; }

    @Override
    public List<String> paths() { return List.of(AdminRoutes.BASE); }
}
