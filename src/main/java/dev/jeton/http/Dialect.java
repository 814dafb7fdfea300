package dev.jeton.http;

import io.helidon.webserver.http.HttpRules;

/** One token API on the wire: its routes, its wire records, its error shape. */
public interface Dialect {
    /** Short name used in metrics, logs and the OpenAPI document path ({@code /openapi/<name>.yaml}). */
    String name();

    void routing(HttpRules rules);
}
