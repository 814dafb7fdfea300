package dev.jeton.cli;

import dev.jeton.engine.FirstRun.Credentials;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/** Prints the first-run credentials, the only time they exist in the clear. */
final class CredentialsPrinter {
    private CredentialsPrinter() {
    }

    static void print(PrintWriter out, Credentials c, boolean json) {
        if (json) {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("admin_user", c.adminUser());
            m.put("admin_password", c.adminPassword().value());
            m.put("client_id", c.demoClientId());
            m.put("client_secret", c.demoClientSecret().value());
            Output.json(out, m);
            return;
        }
        out.println("First start: created an admin user and a demo client. These secrets are shown only now:");
        out.println("  admin user:          " + c.adminUser());
        out.println("  admin password:      " + c.adminPassword().value());
        out.println("  demo client_id:      " + c.demoClientId());
        out.println("  demo client_secret:  " + c.demoClientSecret().value());
        out.flush();
    }
}
