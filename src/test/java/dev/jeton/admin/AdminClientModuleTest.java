package dev.jeton.admin;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The published client (clients/admin-java) is generated with the same settings, from the same
 * document, as the copy the server's tests drive (the root pom's admin-client execution), so
 * what the tests prove holds for the published one.
 */
class AdminClientModuleTest {
    private static final Path ROOT_POM = Path.of("pom.xml");
    private static final Path MODULE_POM = Path.of("clients/admin-java/pom.xml");

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
