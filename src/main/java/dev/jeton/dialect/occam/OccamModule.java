package dev.jeton.dialect.occam;

import dev.jeton.config.JetonConfig;
import dev.jeton.dialect.DialectContext;
import dev.jeton.dialect.DialectModule;
import dev.jeton.engine.Accounts.ClientSpec;
import dev.jeton.http.Dialect;
import dev.jeton.model.GrantType;
import dev.jeton.model.RefreshPolicy;

import java.util.List;
import java.util.Set;

/** Occam's login API on the public listener, through its built-in public client {@value OccamDialect#CLIENT_ID}. */
public final class OccamModule implements DialectModule {
    @Override
    public String name() { return OccamDialect.NAME; }

    /** Occam-reuse-revokes-family picks what a reused refresh token does, on every start. */
    @Override
    public List<ClientSpec> clients(JetonConfig config) {
        RefreshPolicy policy = config.occamReuseRevokesFamily() ? RefreshPolicy.ROTATING : RefreshPolicy.ROTATING_LENIENT;
        return List.of(new ClientSpec(OccamDialect.CLIENT_ID, Set.of(GrantType.PASSWORD, GrantType.REFRESH_TOKEN),
                Set.of(), List.of(), List.of(), null, null, policy, true));
    }

    @Override
    public Dialect dialect(DialectContext context, JetonConfig config) {
        return new OccamDialect(context.engine(), context.bodies(), context.metrics(), context.limits());
    }
}
