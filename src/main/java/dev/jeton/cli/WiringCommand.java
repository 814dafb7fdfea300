package dev.jeton.cli;

import dev.jeton.Wiring;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;

/** A command that works on the database: opens it, runs, closes. Safe beside a running server. */
abstract class WiringCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ConfigOptions options;

    @Override
    public final Integer call() {
        try (Wiring wiring = new Wiring(options.load(), Clock.systemUTC())) {
            PrintWriter out = spec.commandLine().getOut();
            int code = run(wiring, out);
            out.flush();
            return code;
        }
    }

    abstract int run(Wiring wiring, PrintWriter out);
}
