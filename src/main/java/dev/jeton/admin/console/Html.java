package dev.jeton.admin.console;

import java.util.List;

/**
 * The console's HTML: one layout (skip link, navigation, main landmark), escaping, tables and
 * forms. The style sheet is served from {@code /console/console.css} so that the pages' CSP
 * allows no inline style or script at all.
 */
final class Html {
    static final String CSP = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    static final String STYLE = """
            *{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,sans-serif;color:#1b1f24;background:#f6f7f9}
            a{color:#0b57d0}a:focus,button:focus,input:focus,select:focus{outline:3px solid #f2a900;outline-offset:2px}
            .skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:4px}
            header{background:#1b1f24;color:#fff;padding:8px 16px;display:flex;flex-wrap:wrap;gap:12px;align-items:center}
            header a{color:#fff}nav ul{list-style:none;display:flex;flex-wrap:wrap;gap:12px;margin:0;padding:0}
            main{max-width:1100px;margin:0 auto;padding:16px}table{border-collapse:collapse;width:100%;background:#fff}
            th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #d0d4da;vertical-align:top;overflow-wrap:anywhere}
            form.card,section.card{background:#fff;border:1px solid #d0d4da;border-radius:6px;padding:12px;margin:12px 0}
            label{display:block;font-weight:600;margin-top:8px}input,select{font:inherit;padding:6px;width:100%;max-width:28em}
            button{font:inherit;padding:6px 14px;margin-top:8px;border:1px solid #0b57d0;background:#0b57d0;color:#fff;border-radius:4px}
            form.inline{display:inline}form.inline button{margin:0}.secret{font-family:monospace;background:#fff8d6;padding:8px;border:1px solid #e0c200}
            .error{color:#a00}.muted{color:#5a6270}
            @media (max-width:640px){table,tbody{display:block}thead{display:none}tr{display:block;border-bottom:2px solid #d0d4da}td{display:block;border:0}
            td[data-label]::before{content:attr(data-label) ": ";font-weight:600}}
            """;

    private Html() {
    }

    /** A whole page; {@code who} null on pages shown before sign-in. */
    static String page(String title, ConsoleSessions.Session who, String body) {
        String nav = who == null ? "" : """
                <nav aria-label="Console"><ul><li><a href="/console/clients">Clients</a></li><li><a href="/console/users">Users</a></li><li><a href="/console/groups">Groups</a></li>
                <li><a href="/console/identities">Identities</a></li><li><a href="/console/rules">Registry rules</a></li>
                <li><a href="/console/api-keys">API keys</a></li><li><a href="/console/keys">Signing keys</a></li><li><a href="/console/nodes">Nodes</a></li>
                <li><a href="/console/trust-policies">Trust policies</a></li><li><a href="/console/upstreams">Upstreams</a></li><li><a href="/console/tokens">Tokens</a></li><li><a href="/console/audit">Audit log</a></li></ul></nav>
                <span>%s</span><form class="inline" method="post" action="/console/signout">%s<button type="submit">Sign out</button></form>
                """.formatted(esc(who.user()), csrf(who));
        return """
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
                <title>%s · Jeton console</title><link rel="stylesheet" href="/console/console.css"></head>
                <body><a class="skip" href="#main">Skip to content</a><header><strong>Jeton console</strong>%s</header>
                <main id="main">%s</main></body></html>
                """.formatted(esc(title), nav, body);
    }

    static String csrf(ConsoleSessions.Session who) {
        return "<input type=\"hidden\" name=\"csrf\" value=\"" + esc(who.csrf()) + "\">";
    }

    /** The version (admin API ETag) of the item a form edits; see {@link ConsoleCall#requireVersion}. */
    static String version(String etag) {
        return "<input type=\"hidden\" name=\"version\" value=\"" + esc(etag) + "\">";
    }

    /** A table with a header row; cells are already HTML. Each cell is labelled for the narrow (phone) layout. */
    static String table(String caption, List<String> headings, List<List<String>> rows) {
        StringBuilder out = new StringBuilder("<table><caption class=\"muted\">").append(esc(caption)).append("</caption><thead><tr>");
        for (String h : headings) out.append("<th scope=\"col\">").append(esc(h)).append("</th>");
        out.append("</tr></thead><tbody>");
        for (List<String> row : rows) {
            out.append("<tr>");
            for (int i = 0; i < row.size(); i++) {
                out.append("<td data-label=\"").append(esc(headings.get(i))).append("\">").append(row.get(i)).append("</td>");
            }
            out.append("</tr>");
        }
        if (rows.isEmpty()) out.append("<tr><td colspan=\"").append(headings.size()).append("\">None.</td></tr>");
        return out.append("</tbody></table>").toString();
    }

    /** A labelled text field. */
    static String field(String id, String label, String value, boolean required) {
        return "<label for=\"" + id + "\">" + esc(label) + "</label><input id=\"" + id + "\" name=\"" + id + "\" value=\""
                + esc(value == null ? "" : value) + "\"" + (required ? " required" : "") + ">";
    }

    static String link(String href, String text) {
        return "<a href=\"" + esc(href) + "\">" + esc(text) + "</a>";
    }

    static String esc(String s) { return dev.jeton.http.HtmlText.escape(s); }

    /** A path segment, for links to a named item. */
    static String seg(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }
}
