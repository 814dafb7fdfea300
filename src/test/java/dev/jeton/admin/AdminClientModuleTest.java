package dev.jeton.admin;

import dev.jeton.support.AdminClients;
import dev.jeton.support.AuditTrail;
import dev.jeton.support.Jetons;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The published client (clients/admin-java, built by this build before its tests: the root pom's
 * admin-client-module execution) works as the README shows it, on its own jar and its declared
 * dependencies only; and it is generated with the same settings, from the same document, as the
 * copy the other admin API tests drive, so what they prove holds for the published one.
 */
class AdminClientModuleTest {
    private static final Path ROOT_POM = Path.of("pom.xml");
    private static final Path MODULE_POM = Path.of("clients/admin-java/pom.xml");
    private static final Path MODULE_TARGET = Path.of("clients/admin-java/target");
    /** The README's example talks to a server at its default address; the test's server listens elsewhere. */
    private static final String README_BASE_URL = "http://127.0.0.1:8080";

    @TempDir
    Path dir;

    @Test
    void readmeExampleWhenCompiledAgainstTheModuleJarThenItRotatesASecretOnALiveServer() throws Exception {
        Path jar = moduleJar();
        List<Path> classPath = new ArrayList<>(List.of(jar));
        for (String entry : Files.readString(MODULE_TARGET.resolve("runtime-classpath.txt")).strip().split(File.pathSeparator)) {
            classPath.add(Path.of(entry));
        }
        Path classes = Files.createDirectories(dir.resolve("example-classes"));
        try (Jetons.Running jeton = Jetons.start(dir.resolve("data"))) {
            AdminClients admins = new AdminClients(jeton);
            String oldSecret = admins.register("my-app", "reports:read");
            String token = admins.token("ops", "jeton:admin");
            compile(exampleSource(jeton.baseUrl()), classPath, classes);

            // Only the example, the module's jar and its runtime dependencies: not the tests' own generated copy.
            List<URL> urls = new ArrayList<>(List.of(classes.toUri().toURL()));
            for (Path p : classPath) urls.add(p.toUri().toURL());
            try (URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
                assertThat(Path.of(loader.loadClass("dev.jeton.client.admin.ApiClient").getProtectionDomain().getCodeSource().getLocation().toURI()))
                        .isEqualTo(jar.toAbsolutePath());
                String newSecret = (String) loader.loadClass("ReadmeExample").getMethod("run", String.class).invoke(null, token);
                assertThat(newSecret).isNotBlank().isNotEqualTo(oldSecret);
                // The rotation the example asked for: the new secret works, and the old one still does for the hour of overlap.
                assertThat(admins.tokenOf("my-app", newSecret, "reports:read")).isNotBlank();
                assertThat(admins.tokenOf("my-app", oldSecret, "reports:read")).isNotBlank();
            }
            AuditTrail.of(dir.resolve("data")).await("event", "admin", "action", "client.rotate_secret", "target", "my-app", "subject", "ops");
        }
    }

    private static Path moduleJar() throws Exception {
        try (var files = Files.list(MODULE_TARGET)) {
            return files.filter(p -> p.getFileName().toString().matches("jeton-admin-client-.*\\.jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("no module jar in " + MODULE_TARGET + ": the root build makes it before the tests "
                            + "(or: mvn -f clients/admin-java/pom.xml package)"));
        }
    }

    /** The README's Java example, as a method from the admin token to the secret it rotates. */
    private static String exampleSource(String baseUrl) throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        int module = readme.indexOf("is its own Maven module");
        assertThat(module).as("README's admin client section").isPositive();
        Matcher block = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertThat(block.find(module)).as("a java block after the admin client's module").isTrue();
        String example = block.group(1);
        assertThat(example).contains(README_BASE_URL);
        return """
                import dev.jeton.client.admin.ApiClient;
                import dev.jeton.client.admin.api.*;
                import dev.jeton.client.admin.model.*;

                public class ReadmeExample {
                    public static String run(String token) throws Exception {
                """ + example.replace(README_BASE_URL, baseUrl) + """
                        return secret;
                    }
                }
                """;
    }

    private static void compile(String source, List<Path> classPath, Path out) throws Exception {
        Path file = Files.createDirectories(out.resolveSibling("example-src")).resolve("ReadmeExample.java");
        Files.writeString(file, source);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int code = javac.run(null, null, errors, "--release", "17", "-d", out.toString(), "-classpath",
                String.join(File.pathSeparator, classPath.stream().map(Path::toString).toList()), file.toString());
        assertThat(code).as("README example:\n" + source + "\n" + errors.toString(StandardCharsets.UTF_8)).isZero();
    }

    @Test
    void generatorSettingsWhenComparedThenTheModuleAndTheTestsGenerateTheSameClient() throws Exception {
        Map<String, String> tested = settings(ROOT_POM);
        Map<String, String> published = settings(MODULE_POM);
        assertThat(published).containsEntry("generatorName", "java").containsEntry("invokerPackage", "dev.jeton.client.admin");
        for (String key : new String[]{"generatorName", "library", "apiPackage", "modelPackage", "invokerPackage", "configOptions.useJakartaEe",
                "configOptions.openApiNullable", "configOptions.dateLibrary", "configOptions.containerDefaultToNull"}) {
            assertThat(published.get(key)).as(key).isEqualTo(tested.get(key));
        }
        Path testedSpec = Path.of(tested.get("inputSpec").replace("${project.basedir}", ".")).normalize();
        Path publishedSpec = Path.of(published.get("inputSpec").replace("${project.basedir}", "clients/admin-java")).normalize();
        assertThat(publishedSpec).isEqualTo(testedSpec).isEqualTo(Path.of("src/main/resources/openapi/admin.yaml"));
    }

    /** The admin-client execution's configuration, flattened: {@code configOptions.dateLibrary} and so on. */
    private static Map<String, String> settings(Path pom) throws Exception {
        var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
        NodeList ids = doc.getElementsByTagName("id");
        for (int i = 0; i < ids.getLength(); i++) {
            if (!ids.item(i).getTextContent().trim().equals("admin-client")) continue;
            Element execution = (Element) ids.item(i).getParentNode();
            Element configuration = (Element) execution.getElementsByTagName("configuration").item(0);
            Map<String, String> out = new TreeMap<>();
            flatten(configuration, "", out);
            return out;
        }
        throw new AssertionError(pom + " has no admin-client execution");
    }

    private static void flatten(Element element, String prefix, Map<String, String> out) {
        NodeList children = element.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i).getNodeType() != Node.ELEMENT_NODE) continue;
            Element child = (Element) children.item(i);
            boolean leaf = child.getElementsByTagName("*").getLength() == 0;
            if (leaf) out.put(prefix + child.getTagName(), child.getTextContent().trim());
            else flatten(child, prefix + child.getTagName() + ".", out);
        }
    }
}
