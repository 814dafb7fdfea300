package dev.jeton.http;

import io.helidon.webserver.http.HttpRules;

import java.util.List;

/** One token API on the wire: its routes, its wire records, its error shape. */
public interface Dialect {
    /** Short name used in metrics, logs and the OpenAPI document path ({@code /openapi/<name>.yaml}). */
    String name();

    void routing(HttpRules rules);

    /** How this dialect answers failures; also used for limits enforced before its routes run (431, 408, 429). */
    ErrorWriter errors();

    /** Path prefixes this dialect serves, so that answers given before routing take its error shape. */
    List<String> paths();
}
