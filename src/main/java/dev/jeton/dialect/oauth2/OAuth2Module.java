package dev.jeton.dialect.oauth2;

import dev.jeton.config.JetonConfig;
import dev.jeton.dialect.DialectContext;
import dev.jeton.dialect.DialectModule;
import dev.jeton.http.Dialect;

/** OAuth 2.0 and OpenID Connect on the public listener; clients are the operator's, none is built in. */
public final class OAuth2Module implements DialectModule {
    @Override
    public String name() { return OAuth2Dialect.NAME; }

    @Override
    public Dialect dialect(DialectContext context, JetonConfig config) {
        return new OAuth2Dialect(context.engine(), context.authorizations(), context.oidc(), context.bodies(), context.metrics(),
                context.limits(), context.issuer(), context.signingAlgorithms(), context.deviceFlow(), context.upstreams());
    }
}
