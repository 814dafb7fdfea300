package dev.jeton.dialect.entra;

import dev.jeton.config.JetonConfig;
import dev.jeton.dialect.DialectContext;
import dev.jeton.dialect.DialectModule;
import dev.jeton.http.Dialect;

/** Entra ID's v2.0 token endpoint for Azure workload identity, at the root of the public listener (MSAL allows no prefix). */
public final class EntraModule implements DialectModule {
    @Override
    public String name() { return EntraDialect.NAME; }

    @Override
    public Dialect dialect(DialectContext context, JetonConfig config) {
        return new EntraDialect(context.engine(), context.bodies(), context.metrics(), context.limits(), context.clock());
    }
}
