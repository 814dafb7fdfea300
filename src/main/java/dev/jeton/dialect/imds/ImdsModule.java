package dev.jeton.dialect.imds;

import dev.jeton.config.JetonConfig;
import dev.jeton.config.ManagedIdentityEndpointSettings;
import dev.jeton.dialect.DialectContext;
import dev.jeton.dialect.DialectModule;
import dev.jeton.engine.Engine;
import dev.jeton.http.Dialect;
import dev.jeton.http.RateLimit;
import dev.jeton.http.TokenMetrics;
import dev.jeton.model.Failure;
import dev.jeton.model.IdentityToken;
import dev.jeton.model.ManagedIdentity;
import dev.jeton.model.Origin;
import dev.jeton.model.TokenRequest;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.function.Predicate;

/**
 * IMDS on a node-local listener of its own (imds-host, imds-port; -1 turns it off), HTTPS only
 * with imds-tls files, and with a rate limit per node rather than the public per-client ones.
 * Arc's and App Service's endpoints, when turned on, answer on the same listener and limits.
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
            public IdentityToken token(TokenRequest.ManagedIdentity request, Origin origin, Predicate<ManagedIdentity> allowed) {
                return engine.identityToken(request, origin, allowed);
            }

            @Override
            public void refused(TokenRequest.ManagedIdentity request, Origin origin, Failure failure) {
                engine.refusedAtEdge(request, origin, failure);
            }
        };
        RateLimit rate = new RateLimit(config.imdsRate(), Duration.ofSeconds(1), context.clock());
        Semaphore inFlight = new Semaphore(config.imdsConcurrency());
        ManagedIdentityEndpointSettings settings = config.managedIdentityEndpoints();
        return new ImdsDialect(source, context.metrics(), rate, inFlight, config.node(), AllowedIdentities.of(settings.imdsIdentities()),
                endpoints(settings, source, context.metrics(), rate, inFlight, config.node(), context.clock()));
    }

    /**
     * Arc's and App Service's endpoints as the settings turn them on, counting on IMDS's node limits;
     * public so that the node agent builds them the same way over its own source.
     */
    public static List<ManagedIdentityEndpoint> endpoints(ManagedIdentityEndpointSettings settings, ManagedIdentitySource source,
                                                          TokenMetrics metrics, RateLimit rate, Semaphore inFlight, String node, Clock clock) {
        List<ManagedIdentityEndpoint> endpoints = new ArrayList<>();
        if (settings.arc()) {
            endpoints.add(new ArcEndpoint(source, metrics, rate, inFlight, node, settings.arcKeyDir(), settings.arcKeyTtl(),
                    AllowedIdentities.of(settings.arcIdentities()), clock));
        }
        if (settings.appService()) {
            endpoints.add(new AppServiceEndpoint(source, metrics, rate, inFlight, node, AppServiceSecret.load(settings.appServiceSecretFile()),
                    AllowedIdentities.of(settings.appServiceIdentities())));
        }
        return endpoints;
    }
}
