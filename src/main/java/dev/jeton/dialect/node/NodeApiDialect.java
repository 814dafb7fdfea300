package dev.jeton.dialect.node;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.jeton.engine.node.Nodes;
import dev.jeton.http.Bodies;
import dev.jeton.http.Dialect;
import dev.jeton.http.ErrorWriter;
import dev.jeton.http.Form;
import dev.jeton.http.Origins;
import dev.jeton.http.Responses;
import dev.jeton.model.Failure;
import dev.jeton.model.IdentityToken;
import dev.jeton.model.ManagedIdentity;
import dev.jeton.model.Reason;
import dev.jeton.model.Secret;
import dev.jeton.model.TokenRequest.IdentitySelector;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.List;

import static dev.jeton.http.Guard.guard;

/**
 * The node API that node agents ({@code jeton agent}) call on the public listener: enrolment
 * with a one-time token, and managed-identity tokens for the node that a {@code client_assertion}
 * proves (RFC 7523 {@code private_key_jwt}, or a Kubernetes token a node trust policy admits).
 * Nothing here names the node but the enrolment form: the token route has no such field.
 */
public final class NodeApiDialect implements Dialect {
    public static final String NAME = "agent";
    public static final String ENROL = "/agent/v1/enrol";
    public static final String TOKEN = "/agent/v1/token";
    static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    private final Nodes nodes;
    private final Bodies bodies;
    private final NodeApiErrors errors = new NodeApiErrors();

    public NodeApiDialect(Nodes nodes, Bodies bodies) {
        this.nodes = nodes;
        this.bodies = bodies;
    }

    @Override
    public String name() { return NAME; }

    @Override
    public ErrorWriter errors() { return errors; }

    @Override
    public List<String> paths() { return List.of("/agent/"); }

    @Override
    public void routing(HttpRules rules) {
        rules.post(ENROL, guard(errors, this::enrol));
        rules.post(TOKEN, guard(errors, this::token));
        rules.any("/agent/*", guard(errors, (req, res) -> {
            if (!req.path().rawPath().equals(ENROL) && !req.path().rawPath().equals(TOKEN)) throw Failure.notFound("no such node API endpoint");
            res.header(HeaderNames.ALLOW, "POST");
            throw Failure.of(Reason.METHOD_NOT_ALLOWED, "use POST");
        }));
    }

    private void enrol(ServerRequest req, ServerResponse res) {
        Form form = bodies.form(req);
        String node = form.single("node");
        nodes.enrol(node, Secret.ofNullable(form.single("enrol_token")), form.single("public_key"), Origins.of(req));
        Responses.noStore(res);
        Responses.json(res, 200, new Enrolled(node));
    }

    private void token(ServerRequest req, ServerResponse res) {
        Form form = bodies.form(req);
        String type = form.single("client_assertion_type");
        if (type != null && !type.equals(JWT_BEARER)) throw Failure.invalidRequest("client_assertion_type", "client_assertion_type must be " + JWT_BEARER);
        IdentityToken token = nodes.token(form.single("client_assertion"), selector(form), form.single("resource"), Origins.of(req));
        Responses.noStore(res);
        Responses.json(res, 200, NodeToken.of(token));
    }

    private static IdentitySelector selector(Form form) {
        IdentitySelector selector = IdentitySelector.NONE;
        int given = 0;
        for (String name : new String[]{"client_id", "object_id", "msi_res_id"}) {
            String value = form.single(name);
            if (value == null) continue;
            given++;
            selector = new IdentitySelector(switch (name) {
                case "client_id" -> IdentitySelector.Kind.CLIENT_ID;
                case "object_id" -> IdentitySelector.Kind.OBJECT_ID;
                default -> IdentitySelector.Kind.RESOURCE_ID;
            }, value);
        }
        if (given > 1) throw Failure.invalidRequest("Only one of client_id, object_id and msi_res_id may be given");
        return selector;
    }

    record Enrolled(@JsonProperty("node") String node) {
    }

    /** Everything an agent's managed-identity endpoints echo, so that they answer as the server's IMDS would. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record NodeToken(@JsonProperty("access_token") String accessToken, @JsonProperty("token_type") String tokenType,
                     @JsonProperty("jti") String jti, @JsonProperty("issued_at") long issuedAt, @JsonProperty("expires_on") long expiresOn,
                     @JsonProperty("resource") String resource, @JsonProperty("identity") String identity,
                     @JsonProperty("client_id") String clientId, @JsonProperty("object_id") String objectId,
                     @JsonProperty("msi_res_id") String msiResId, @JsonProperty("tenant_id") String tenantId,
                     @JsonProperty("system_node") String systemNode) {
        static NodeToken of(IdentityToken token) {
            ManagedIdentity i = token.identity();
            return new NodeToken(token.issued().accessToken(), "Bearer", token.issued().jti(), token.issued().issuedAt().getEpochSecond(),
                    token.issued().expiresAt().getEpochSecond(), token.resource(), i.name(), i.clientId(), i.objectId(), i.resourceId(),
                    i.tenantId(), i.systemNode());
        }
    }
}
