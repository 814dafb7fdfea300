package dev.jeton.dialect.registry;

import dev.jeton.config.JetonConfig;
import dev.jeton.dialect.DialectContext;
import dev.jeton.dialect.DialectModule;
import dev.jeton.http.Dialect;

/** The registry token server on the public listener; its requests name no client, so none is built in. */
public final class RegistryModule implements DialectModule {
    @Override
    public String name() { return RegistryDialect.NAME; }

    @Override
    public Dialect dialect(DialectContext context, JetonConfig config) {
        return new RegistryDialect(context.engine(), context.bodies(), context.metrics(), context.limits(), context.issuer());
    }
}
