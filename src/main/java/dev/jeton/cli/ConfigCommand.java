package dev.jeton.cli;

import dev.jeton.config.ConfigLoader.Sourced;
import dev.jeton.config.JetonConfig;
import dev.jeton.config.Setting;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "config", mixinStandardHelpOptions = true,
        description = {"Prints the effective configuration and where each value came from (flag, env, file, default).",
                "Secrets are never printed: the master key shows only where it comes from.",
                "Any line printed here can go into jeton.conf as it is."})
public final class ConfigCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ConfigOptions options;

    @Option(names = "--json", description = "Print as JSON.")
    boolean json;

    @Override
    public Integer call() {
        JetonConfig config = options.load();
        PrintWriter out = spec.commandLine().getOut();
        String masterKey = config.masterKey() != null ? "(from env JETON_MASTER_KEY)" : "(file " + config.masterKeyFile() + ")";
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (Setting s : Setting.values()) m.put(s.key(), shown(s, config.sources().get(s).value()));
            m.put("master-key", masterKey);
            Output.json(out, m);
            return 0;
        }
        // Keys in one column however long the longest is.
        int width = java.util.Arrays.stream(Setting.values()).mapToInt(s -> s.key().length()).max().orElse(0);
        for (Setting s : Setting.values()) {
            Sourced v = config.sources().get(s);
            out.printf("%-" + width + "s = %-24s # %s; %s%n", s.key(), shown(s, v.value()), v.source(), s.description());
        }
        out.printf("# master key: %s%n", masterKey);
        out.flush();
        return 0;
    }

    private static String shown(Setting s, String value) {
        return s == Setting.STORE ? dev.jeton.store.postgres.StoreUrl.masked(value) : value;
    }
}
