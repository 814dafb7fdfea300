package dev.jeton.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.jeton.engine.desired.DesiredConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The YAML form of a {@link DesiredConfig}: what export writes, and diff and apply read. */
final class ConfigYaml {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private ConfigYaml() {
    }

    static String write(DesiredConfig config) {
        try {
            return YAML.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the configuration as YAML", e);
        }
    }

    static DesiredConfig parse(String text, String where) {
        try {
            DesiredConfig config = text.isBlank() ? null : YAML.readValue(text, DesiredConfig.class);
            return config == null ? new DesiredConfig(null, null, null, null, null, null, null, null) : config;
        } catch (UnrecognizedPropertyException e) {
            throw new IllegalArgumentException(where + ": unknown field '" + e.getPropertyName() + "' at line "
                    + e.getLocation().getLineNr());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(where + ": " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()));
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
        }
    }
}
