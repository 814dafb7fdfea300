package dev.jeton;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The arrows between packages point down (STYLE.md, section 1), read from the imports of the main sources. */
class LayeringTest {
    private static final Path MAIN = Path.of("src/main/java/dev/jeton");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?([\\w.]+)", Pattern.MULTILINE);

    @Test
    void importsWhenReadThenNoDialectUsesTheStoreOrAnotherDialect() throws IOException {
        List<String> wrong = new ArrayList<>();
        for (Path file : sources(MAIN.resolve("dialect"))) {
            String own = MAIN.resolve("dialect").relativize(file).getName(0).toString();
            for (String imported : imports(file)) {
                boolean otherDialect = imported.startsWith("dev.jeton.dialect.") && !imported.startsWith("dev.jeton.dialect." + own + ".")
                        && Character.isLowerCase(imported.charAt("dev.jeton.dialect.".length()));
                if (imported.startsWith("dev.jeton.store.") || otherDialect) wrong.add(MAIN.relativize(file) + " imports " + imported);
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void importsWhenReadThenTheEngineKnowsNoHttpAndHttpNoEngine() throws IOException {
        List<String> wrong = new ArrayList<>();
        for (Path file : sources(MAIN.resolve("engine"))) {
            for (String imported : imports(file)) {
                if (Stream.of("dev.jeton.http.", "dev.jeton.dialect.", "dev.jeton.cli.", "io.helidon.").anyMatch(imported::startsWith)) {
                    wrong.add(MAIN.relativize(file) + " imports " + imported);
                }
            }
        }
        for (Path file : sources(MAIN.resolve("http"))) {
            for (String imported : imports(file)) {
                if (Stream.of("dev.jeton.engine.", "dev.jeton.dialect.", "dev.jeton.store.").anyMatch(imported::startsWith)) {
                    wrong.add(MAIN.relativize(file) + " imports " + imported);
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void importsWhenReadThenTheNodeAgentHoldsNoStoreNoEngineAndNoKeys() throws IOException {
        // The agent runs on every node: no database, no master key, no signing key, no password hashing.
        List<String> wrong = new ArrayList<>();
        for (Path file : sources(MAIN.resolve("agent"))) {
            for (String imported : imports(file)) {
                if (Stream.of("dev.jeton.store.", "dev.jeton.engine.", "dev.jeton.keys.", "dev.jeton.secrets.", "dev.jeton.audit.",
                        "dev.jeton.cli.", "dev.jeton.Wiring", "dev.jeton.AdminWiring").anyMatch(imported::startsWith)) {
                    wrong.add(MAIN.relativize(file) + " imports " + imported);
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void importsWhenReadThenTheAdminApiGoesThroughEngineOperationsOnly() throws IOException {
        List<String> wrong = new ArrayList<>();
        for (Path file : sources(MAIN.resolve("admin"))) {
            for (String imported : imports(file)) {
                boolean upward = imported.matches("dev\\.jeton\\.[A-Z]\\w*");
                if (upward || Stream.of("dev.jeton.store.", "dev.jeton.dialect.", "dev.jeton.cli.").anyMatch(imported::startsWith)) {
                    wrong.add(MAIN.relativize(file) + " imports " + imported);
                }
            }
        }
        for (Path dir : List.of(MAIN.resolve("engine"), MAIN.resolve("http"), MAIN.resolve("dialect"))) {
            for (Path file : sources(dir)) {
                for (String imported : imports(file)) {
                    if (imported.startsWith("dev.jeton.admin.")) wrong.add(MAIN.relativize(file) + " imports " + imported);
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    private static List<Path> sources(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        }
    }

    private static List<String> imports(Path file) throws IOException {
        Matcher m = IMPORT.matcher(Files.readString(file));
        List<String> imports = new ArrayList<>();
        while (m.find()) imports.add(m.group(1));
        return imports;
    }
}
