import dev.jeton.engine.access.AccessRules;
import dev.jeton.model.AccessScope;
import dev.jeton.model.Requester;
import dev.jeton.model.Subject;
import dev.jeton.model.SubjectKind;
import dev.jeton.store.Databases;
import dev.jeton.store.jdbc.JdbcStore;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Registry access decisions per CPU second of one thread, against the rules of a given store: the
 * cost of AccessRules alone, without HTTP or signing, so that two builds can be compared back to
 * back on the same store (bench/README.md, "A large store"). The requester is an app with three
 * repository scopes, as in bench/run's registry_token scenario.
 * Run: java -cp 'target/jeton.jar:target/lib/*' bench/RuleDecisionRate.java STORE APP SECONDS
 */
public final class RuleDecisionRate {
    public static void main(String[] args) {
        int seconds = Integer.parseInt(args[2]);
        try (JdbcStore store = new JdbcStore(Databases.open(args[0], null, 4, Path.of("jeton.db")))) {
            AccessRules rules = new AccessRules(store.rules(), Duration.ofSeconds(2), Clock.systemUTC());
            Requester app = new Requester(Requester.Kind.APP, new Subject(SubjectKind.CLIENT, args[1], args[1]), List.of());
            List<AccessScope> scopes = List.of(new AccessScope("repository", null, "team/a", List.of("pull")),
                    new AccessScope("repository", null, "team/b", List.of("pull", "push")),
                    new AccessScope("repository", null, "team/c", List.of("pull")));
            long granted = 0;
            // Two seconds of warm-up (JIT), then the measured seconds.
            long warm = System.nanoTime() + 2_000_000_000L;
            while (System.nanoTime() < warm) granted += rules.grant(app, scopes).size();
            // Counted per second of this thread's CPU time, not of the wall clock: on a shared
            // machine the wall clock also counts the time other processes had the core.
            ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
            long start = System.nanoTime();
            long end = start + seconds * 1_000_000_000L;
            long cpuStart = cpu.getCurrentThreadCpuTime();
            long n = 0;
            while (System.nanoTime() < end) {
                granted += rules.grant(app, scopes).size();
                n++;
            }
            long cpuNanos = cpu.getCurrentThreadCpuTime() - cpuStart;
            if (granted == 0) throw new IllegalStateException("no scope granted: is there a rule for app:" + args[1] + " on team/*?");
            System.out.printf("%.0f%n", n / (cpuNanos / 1e9));
        }
    }
}
