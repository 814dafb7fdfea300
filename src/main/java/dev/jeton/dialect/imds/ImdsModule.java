package dev.jeton.dialect.imds;

import dev.jeton.config.JetonConfig;
import dev.jeton.dialect.DialectContext;
import dev.jeton.dialect.DialectModule;
import dev.jeton.http.Dialect;
import dev.jeton.http.RateLimit;

import java.time.Duration;
import java.util.concurrent.Semaphore;

/**
 * IMDS on a node-local listener of its own (imds-host, imds-port; -1 turns it off), HTTPS only
 * with imds-tls files, and with a rate limit per node rather than the public per-client ones.
 */
public final class ImdsModule implements DialectModule {
    @Override
    public String name() { return ImdsDialect.NAME; }

    @Override
    public Listener listener(JetonConfig config) {
        if (config.imdsPort() < 0) return new Listener.Off();
        return new Listener.Own(config.imdsHost(), config.imdsPort(), config.imdsTls(), "IMDS for node " + config.node());
    }

    @Override
    public Dialect dialect(DialectContext context, JetonConfig config) {
        return new ImdsDialect(context.engine(), context.metrics(), new RateLimit(config.imdsRate(), Duration.ofSeconds(1), context.clock()),
                new Semaphore(config.imdsConcurrency()),
                config.node());
    }
}
