package dev.jeton.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jeton.Jeton;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Runs {@code jeton ARGS} in this JVM, built as main builds it, with stdin given and stdout and stderr captured. */
public final class InProcessCli {
    private static final ObjectMapper JSON = new ObjectMapper();

    private InProcessCli() {
    }

    public record Result(int code, String out, String err) {
        public JsonNode json() throws Exception { return JSON.readTree(out); }

        public List<String> lines() { return out.isEmpty() ? List.of() : List.of(out.split("\n")); }
    }

    /** @param stdin what the command reads from standard input, or null for nothing */
    public static Result run(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Jeton.commandLine(args);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        InputStream previous = System.in;
        try {
            if (stdin != null) System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
            int code = cli.execute(args);
            return new Result(code, out.toString(), err.toString());
        } finally {
            System.setIn(previous);
        }
    }
}
