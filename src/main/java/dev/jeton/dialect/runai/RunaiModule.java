package dev.jeton.dialect.runai;

import dev.jeton.config.JetonConfig;
import dev.jeton.dialect.DialectContext;
import dev.jeton.dialect.DialectModule;
import dev.jeton.engine.Accounts.ClientSpec;
import dev.jeton.http.Dialect;
import dev.jeton.model.GrantType;
import dev.jeton.model.RefreshPolicy;

import java.util.List;
import java.util.Set;

/** Run:ai's token API on the public listener, with the built-in public client {@value RunaiDialect#CLIENT_ID} for requests that name none. */
public final class RunaiModule implements DialectModule {
    @Override
    public String name() { return RunaiDialect.NAME; }

    @Override
    public List<ClientSpec> clients(JetonConfig config) {
        return List.of(new ClientSpec(RunaiDialect.CLIENT_ID, Set.of(GrantType.PASSWORD, GrantType.REFRESH_TOKEN),
                Set.of(), List.of(), List.of(), null, null, RefreshPolicy.ROTATING, true));
    }

    @Override
    public Dialect dialect(DialectContext context, JetonConfig config) {
        return new RunaiDialect(context.engine(), context.bodies(), context.metrics(), context.limits());
    }
}
