package dev.jeton.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.openqa.selenium.JavascriptExecutor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * axe-core, the accessibility rules engine, pinned by the lockfile in
 * src/test/resources/axe-core and installed into target/ (see {@link NodeProject}); it is
 * injected into the page a WebDriver has open and run there (WCAG 2.x A and AA rules and best
 * practices). WebDriver's scripts run outside the page's Content-Security-Policy, so pages that
 * allow no script at all can still be checked.
 */
public final class AxeCore {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AxeCore() {
    }

    /** One rule a page breaks: its id, impact (minor, moderate, serious, critical), help text and the elements at fault. */
    public record Violation(String id, String impact, String help, List<String> targets) {
        public boolean seriousOrWorse() { return "serious".equals(impact) || "critical".equals(impact); }

        @Override
        public String toString() { return impact + " " + id + " (" + help + ") at " + targets; }
    }

    /** Runs axe on the page {@code driver} shows now and answers every violation it finds. */
    public static List<Violation> check(JavascriptExecutor driver) {
        driver.executeScript(source());
        Object raw = driver.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                axe.run(document, {resultTypes: ['violations']})
                   .then(r => done(JSON.stringify(r.violations)), e => done(JSON.stringify({error: String(e)})));""");
        try {
            JsonNode found = JSON.readTree(String.valueOf(raw));
            if (found.has("error")) throw new AssertionError("axe-core failed on the page: " + found.get("error").asText());
            List<Violation> out = new ArrayList<>();
            for (JsonNode v : found) {
                List<String> targets = new ArrayList<>();
                for (JsonNode node : v.path("nodes")) targets.add(node.path("target").toString());
                out.add(new Violation(v.path("id").asText(), v.path("impact").asText(), v.path("help").asText(), targets));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** axe.min.js as installed (npm ci runs only when the lockfile changed). */
    private static String source() {
        Path dir = NodeProject.install("axe-core", List.of("package.json", "package-lock.json"), "node_modules/axe-core/axe.min.js", 18);
        try {
            return Files.readString(dir.resolve("node_modules/axe-core/axe.min.js"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
