package dev.jeton.cli;

import dev.jeton.AdminWiring;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;

/**
 * A command that works on the database: opens it, runs, closes. Safe beside a running server.
 * It gets the admin wiring only (no engine, listener or background job), which makes the
 * signing keys and opens the audit log only if the command asks for them.
 */
abstract class WiringCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ConfigOptions options;

    @Override
    public final Integer call() {
        try (AdminWiring wiring = new AdminWiring(options.load(), Clock.systemUTC())) {
            PrintWriter out = spec.commandLine().getOut();
            int code = run(wiring, out);
            out.flush();
            return code;
        }
    }

    abstract int run(AdminWiring wiring, PrintWriter out);
}
