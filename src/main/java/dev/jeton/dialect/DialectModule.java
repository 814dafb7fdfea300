package dev.jeton.dialect;

import dev.jeton.config.JetonConfig;
import dev.jeton.config.TlsFiles;
import dev.jeton.engine.Accounts.ClientSpec;
import dev.jeton.http.Dialect;

import java.util.List;

/**
 * What one token API needs from a server, declared by its own package: the built-in clients its
 * requests go through, the listener it answers on, and its {@link Dialect} made from the parts
 * every dialect shares. The server's wiring lists one module per dialect and asks each for these,
 * so a new dialect is its package plus one line there.
 */
public interface DialectModule {
    /** The dialect's name: its metrics label, its OpenAPI document ({@code /openapi/<name>.yaml}), its own listener's name. */
    String name();

    /** Clients that must exist before the dialect serves: created when missing; an existing one keeps all but the refresh policy given here. */
    default List<ClientSpec> clients(JetonConfig config) { return List.of(); }

    /** Where the dialect answers. */
    default Listener listener(JetonConfig config) { return new Listener.Public(); }

    /** The dialect, made once when the server starts (never for {@link Listener.Off}). */
    Dialect dialect(DialectContext context, JetonConfig config);

    /** The public listener, a listener of the dialect's own, or none (turned off by configuration). */
    sealed interface Listener {
        record Public() implements Listener {
        }

        /**
         * A listener for this dialect alone, such as IMDS's node-local one: no health, metrics or
         * other dialect on it.
         *
         * @param port  0 picks a free one
         * @param tls   null for plain HTTP
         * @param title what the start-up line calls it: "jeton TITLE on URL"
         */
        record Own(String host, int port, TlsFiles tls, String title) implements Listener {
        }

        record Off() implements Listener {
        }
    }
}
