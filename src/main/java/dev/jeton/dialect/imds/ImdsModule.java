package dev.jeton.dialect.imds;

import dev.jeton.config.JetonConfig;
import dev.jeton.dialect.DialectContext;
import dev.jeton.dialect.DialectModule;
import dev.jeton.engine.Engine;
import dev.jeton.http.Dialect;
import dev.jeton.http.RateLimit;
import dev.jeton.model.Failure;
import dev.jeton.model.IdentityToken;
import dev.jeton.model.Origin;
import dev.jeton.model.TokenRequest;

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
        Engine engine = context.engine();
        ManagedIdentitySource source = new ManagedIdentitySource() {
            @Override
            public IdentityToken token(TokenRequest.ManagedIdentity request, Origin origin) { return engine.identityToken(request, origin); }

            @Override
            public void refused(TokenRequest.ManagedIdentity request, Origin origin, Failure failure) {
                engine.refusedAtEdge(request, origin, failure);
            }
        };
        return new ImdsDialect(source, context.metrics(), new RateLimit(config.imdsRate(), Duration.ofSeconds(1), context.clock()),
                new Semaphore(config.imdsConcurrency()),
                config.node());
    }
}
