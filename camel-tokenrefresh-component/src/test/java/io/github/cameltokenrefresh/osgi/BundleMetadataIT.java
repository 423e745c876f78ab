package io.github.cameltokenrefresh.osgi;

import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import java.util.stream.Collectors;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;

import io.github.cameltokenrefresh.TokenRefreshComponent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The OSGi metadata Karaf users depend on, read from what the build produced: the bundle manifest bnd wrote to
 * {@code target/classes/META-INF/MANIFEST.MF} (the jar plugin packages that file) and the filtered Karaf features file
 * {@code target/feature/feature.xml} (attached as {@code xml/features}). docs/karaf.md explains each choice.
 */
class BundleMetadataIT {

    private static final String ROOT = "io.github.cameltokenrefresh";
    /** The API: what Blueprint, Java routes and other bundles name. */
    private static final Set<String> EXPORTED = Set.of(ROOT, ROOT + ".dialect", ROOT + ".kafka", ROOT + ".mail",
                                                       ROOT + ".route", ROOT + ".store", ROOT + ".store.file",
                                                       ROOT + ".store.jdbc", ROOT + ".token");
    private static final Set<String> PRIVATE = Set.of(ROOT + ".assembly", ROOT + ".catalog",
                                                      ROOT + ".internal", ROOT + ".internal.account",
                                                      ROOT + ".internal.authorize", ROOT + ".internal.call",
                                                      ROOT + ".internal.dpop", ROOT + ".internal.jose",
                                                      ROOT + ".internal.observe", ROOT + ".internal.wire",
                                                      ROOT + ".store.record");
    /** The Camel components a connector bean needs (package mail): the bundle resolves without them. */
    private static final Set<String> OPTIONAL_CAMEL = Set.of("org.apache.camel.component.mail");
    /** Camel Karaf lines the bundle must resolve against (their bundles export Camel's own version), and some not. */
    private static final List<String> CAMEL_KARAF_ACCEPTED = List.of("4.14.0", "4.14.5", "4.18.0", "4.18.1", "4.99.0");
    private static final List<String> CAMEL_KARAF_REFUSED = List.of("4.10.7", "4.13.9", "5.0.0", "3.22.0");

    private static Path classes;
    private static Attributes manifest;
    private static String projectVersion;

    @BeforeAll
    static void readManifest() throws Exception {
        classes = classesDirectory();
        Path file = classes.resolve("META-INF/MANIFEST.MF");
        assertTrue(Files.isRegularFile(file), file + ": maven-bundle-plugin's manifest goal runs at process-classes");
        try (InputStream in = Files.newInputStream(file)) {
            manifest = new Manifest(in).getMainAttributes();
        }
        projectVersion = System.getProperty("project.version", "0.1.0-SNAPSHOT");
    }

    private static Path classesDirectory() throws URISyntaxException {
        return Path.of(TokenRefreshComponent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    // ------------------------------------------------------------------ identity

    @Test
    void isAnOsgiBundleNamedAfterTheArtifact() {
        assertEquals("2", manifest.getValue("Bundle-ManifestVersion"));
        assertEquals("io.github.cameltokenrefresh.camel-tokenrefresh", manifest.getValue("Bundle-SymbolicName"));
        assertEquals(osgiVersion(projectVersion), manifest.getValue("Bundle-Version"));
        Map<String, Map<String, String>> required = Headers.parse(manifest.getValue("Require-Capability"));
        String ee = required.get("osgi.ee").get("filter:");
        assertTrue(ee.contains("osgi.ee=JavaSE") && ee.contains("version=17"), ee);
    }

    // ------------------------------------------------------------------ exports

    @Test
    void exportsExactlyThePublicApiAtTheBundleVersion() {
        Map<String, Map<String, String>> exports = Headers.parse(manifest.getValue("Export-Package"));
        assertEquals(new TreeSet<>(EXPORTED), new TreeSet<>(exports.keySet()));
        exports.forEach((pkg, attributes) -> assertEquals(osgiVersion(projectVersion), attributes.get("version"), pkg));
    }

    @Test
    void keepsTheImplementationPrivateButInsideTheBundle() {
        Map<String, Map<String, String>> exports = Headers.parse(manifest.getValue("Export-Package"));
        Map<String, Map<String, String>> imports = Headers.parse(manifest.getValue("Import-Package"));
        for (String pkg : PRIVATE) {
            assertFalse(exports.containsKey(pkg), pkg + " must not be exported");
            assertFalse(imports.containsKey(pkg), pkg + " must not be imported");
            Path dir = classes.resolve(pkg.replace('.', '/'));
            assertTrue(Files.isDirectory(dir), dir + " is packaged in the bundle");
        }
    }

    /** A new package must be a conscious choice: API (exported) or implementation (private). */
    @Test
    void everyPackageOfTheBundleIsClassified() throws Exception {
        Set<String> packages = new TreeSet<>();
        Path root = classes.resolve(ROOT.replace('.', '/'));
        try (var files = Files.walk(root)) {
            files.filter(f -> f.toString().endsWith(".class"))
                    .forEach(f -> packages.add(classes.relativize(f.getParent()).toString().replace('/', '.')
                                                       .replace('\\', '.')));
        }
        Set<String> unclassified = new TreeSet<>(packages);
        unclassified.removeAll(EXPORTED);
        unclassified.removeAll(PRIVATE);
        assertEquals(Set.of(), unclassified, "add each to EXPORTED (and Export-Package in the pom) or to PRIVATE");
        Set<String> declaredPrivate = Headers.parse(manifest.getValue("Private-Package")).keySet();
        Set<String> missing = new TreeSet<>(PRIVATE);
        missing.removeAll(declaredPrivate);
        assertEquals(Set.of(), missing);
    }

    // ------------------------------------------------------------------ imports

    @Test
    void importsCamelWithARangeThatCamelKaraf414AndLaterSatisfy() {
        Map<String, Map<String, String>> imports = Headers.parse(manifest.getValue("Import-Package"));
        List<String> camel = imports.keySet().stream().filter(p -> p.startsWith("org.apache.camel")).sorted().toList();
        // the packages the component needs from camel-core, camel-http, camel-health and camel-console
        assertTrue(camel.containsAll(List.of("org.apache.camel", "org.apache.camel.spi", "org.apache.camel.support",
                                             "org.apache.camel.component.http", "org.apache.camel.http.base",
                                             "org.apache.camel.health", "org.apache.camel.impl.health",
                                             "org.apache.camel.support.console", "org.apache.camel.api.management")),
                   camel::toString);
        String expectedRange = System.getProperty("camel.osgi.range", "[4.14,5)");
        for (String pkg : camel) {
            Map<String, String> attributes = imports.get(pkg);
            assertEquals(expectedRange, attributes.get("version"), pkg);
            // the connectors' and vertx-http's packages only when the application has them
            boolean connector = OPTIONAL_CAMEL.contains(pkg) || pkg.startsWith("org.apache.camel.component.vertx.");
            assertEquals(connector, "optional".equals(attributes.get("resolution:")),
                         pkg + " must be mandatory unless a connector's");
            VersionRange range = VersionRange.parse(attributes.get("version"));
            CAMEL_KARAF_ACCEPTED.forEach(v -> assertTrue(range.includes(v), pkg + " must accept Camel Karaf " + v));
            CAMEL_KARAF_REFUSED.forEach(v -> assertFalse(range.includes(v), pkg + " must refuse Camel " + v));
        }
    }

    /** Micrometer (meters) and vert.x with camel-vertx-http (send-time decoration of vertx-http calls). */
    private static final List<String> OPTIONAL_IMPORTS
            = List.of("io.micrometer.", "io.vertx.", "org.apache.camel.component.vertx.");

    @Test
    void importsMicrometerAndTheConnectorsOptionallyAndEverythingElseMandatorily() {
        Map<String, Map<String, String>> imports = Headers.parse(manifest.getValue("Import-Package"));
        assertTrue(imports.containsKey("io.micrometer.core.instrument"), imports.keySet()::toString);
        assertTrue(imports.keySet().containsAll(OPTIONAL_CAMEL), imports.keySet()::toString);
        assertTrue(imports.containsKey("jakarta.mail"), imports.keySet()::toString);
        assertTrue(imports.containsKey("org.apache.kafka.common.security.oauthbearer"), imports.keySet()::toString);
        imports.forEach((pkg, attributes) -> {
            boolean optional = "optional".equals(attributes.get("resolution:"));
            boolean connector = OPTIONAL_CAMEL.contains(pkg) || pkg.startsWith("jakarta.mail")
                                || pkg.startsWith("org.apache.kafka.");
            assertEquals(OPTIONAL_IMPORTS.stream().anyMatch(pkg::startsWith) || connector, optional,
                         pkg + " optional=" + optional);
        });
        // Kafka: whatever version a wrapped kafka-clients bundle exports (camel-kafka brings 3.9 on both Camel lines)
        assertEquals("0", imports.get("org.apache.kafka.common.security.oauthbearer").get("version"));
        // Jackson and Quartz: floors that the Camel 4.14 and 4.18 lines' versions both meet
        assertTrue(VersionRange.parse(imports.get("com.fasterxml.jackson.databind").get("version")).includes("2.19.4"));
        assertTrue(VersionRange.parse(imports.get("org.quartz").get("version")).includes("2.5.0"));
        // nothing from the tests, the JDK's HTTP server or java.* (the boot class path provides java.*)
        imports.keySet().forEach(pkg -> assertFalse(pkg.startsWith("java.") || pkg.startsWith("org.junit")
                                                    || pkg.startsWith("com.sun.") || pkg.contains("testsupport"), pkg));
    }

    @Test
    void requiresCamelKarafsExtenderSoItsActivatorRegistersTheComponent() {
        Map<String, Map<String, String>> required = Headers.parse(manifest.getValue("Require-Capability"));
        String filter = required.get("osgi.extender").get("filter:");
        assertEquals("(&(osgi.extender=org.apache.camel)(version>=4.14.0)(!(version>=5.0.0)))", filter);
    }

    /** Camel Karaf's activator reads these entries from the bundle itself (Bundle.getEntryPaths), not the class path. */
    @Test
    void carriesTheServiceFilesCamelKarafsActivatorLooksFor() throws Exception {
        Path services = classes.resolve("META-INF/services/org/apache/camel");
        assertEquals("io.github.cameltokenrefresh.TokenRefreshComponent",
                     classProperty(services.resolve("component/tokenrefresh")));
        assertEquals("io.github.cameltokenrefresh.TokenRefreshComponentConfigurer",
                     classProperty(services.resolve("configurer/tokenrefresh-component")));
        assertEquals("io.github.cameltokenrefresh.TokenRefreshEndpointConfigurer",
                     classProperty(services.resolve("configurer/tokenrefresh-endpoint")));
        assertEquals("io.github.cameltokenrefresh.TokenRefreshEndpointUriFactory",
                     classProperty(services.resolve("urifactory/tokenrefresh-endpoint")));
        assertEquals("io.github.cameltokenrefresh.internal.observe.TokenRefreshDevConsole",
                     classProperty(services.resolve("dev-console/tokenrefresh")));
        // every class named there is packaged
        for (Path entry : List.of(services.resolve("component/tokenrefresh"), services.resolve("dev-console/tokenrefresh"))) {
            String className = classProperty(entry);
            assertTrue(Files.isRegularFile(classes.resolve(className.replace('.', '/') + ".class")), className);
        }
    }

    private static String classProperty(Path file) throws Exception {
        assertTrue(Files.isRegularFile(file), file.toString());
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        }
        return properties.getProperty("class");
    }

    // ------------------------------------------------------------------ features file

    @Test
    void theFeaturesFileIsValidAgainstKarafsSchema() throws Exception {
        Path features = featuresFile();
        try (InputStream xsd = getClass().getClassLoader()
                .getResourceAsStream("org/apache/karaf/features/karaf-features-1.6.0.xsd")) {
            assertNotNull(xsd, "the Karaf features schema (test dependency org.apache.karaf.features.core)");
            SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI).newSchema(new StreamSource(xsd))
                    .newValidator().validate(new StreamSource(features.toFile()));
        }
        assertFalse(Files.readString(features).contains("${"), "every ${...} filtered");
    }

    @Test
    void theFeatureInstallsTheBundleOnCamelKarafsFeatures() throws Exception {
        Document doc = parse(featuresFile());
        Element root = doc.getDocumentElement();
        assertEquals("camel-tokenrefresh-" + projectVersion, root.getAttribute("name"));

        List<String> repositories = texts(root.getElementsByTagNameNS("*", "repository"));
        String camelKaraf = System.getProperty("camel.karaf.version");
        assertEquals(List.of("mvn:org.apache.camel.karaf/apache-camel/" + camelKaraf + "/xml/features"), repositories);

        NodeList features = root.getElementsByTagNameNS("*", "feature");
        Element feature = null;
        for (int i = 0; i < features.getLength(); i++) {
            Element e = (Element) features.item(i);
            if (e.getParentNode() == root && "camel-tokenrefresh".equals(e.getAttribute("name"))) {
                feature = e;
            }
        }
        assertNotNull(feature, "feature camel-tokenrefresh");
        assertEquals(projectVersion, feature.getAttribute("version"));

        Map<String, String> dependencies = new LinkedHashMap<>();
        NodeList nested = feature.getElementsByTagNameNS("*", "feature");
        for (int i = 0; i < nested.getLength(); i++) {
            Element dependency = (Element) nested.item(i);
            dependencies.put(dependency.getTextContent().trim(), dependency.getAttribute("version"));
        }
        String range = System.getProperty("camel.osgi.range", "[4.14,5)");
        assertEquals(Map.of("camel-core", range, "camel-http", range, "camel-jackson", range, "camel-quartz", range),
                     dependencies);
        // Camel Karaf's features carry Camel's version: these must match the dependency range
        VersionRange featureRange = VersionRange.parse(range);
        CAMEL_KARAF_ACCEPTED.forEach(v -> assertTrue(featureRange.includes(v), v));

        assertEquals(List.of("mvn:io.github.cameltokenrefresh/camel-tokenrefresh/" + projectVersion),
                     texts(feature.getElementsByTagNameNS("*", "bundle")));
    }

    private static Path featuresFile() {
        Path file = classes.getParent().resolve("feature/feature.xml");
        assertTrue(Files.isRegularFile(file), file + ": filtered from src/main/feature at generate-resources");
        return file;
    }

    private static Document parse(Path file) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(file.toFile());
    }

    private static List<String> texts(NodeList nodes) {
        List<String> list = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            list.add(nodes.item(i).getTextContent().trim());
        }
        return list;
    }

    /** Maven's 0.1.0-SNAPSHOT is OSGi's 0.1.0.SNAPSHOT. */
    private static String osgiVersion(String mavenVersion) {
        return mavenVersion.replace('-', '.');
    }

    // ------------------------------------------------------------------ OSGi header syntax

    /** Just enough of the OSGi manifest header grammar: clauses split on commas outside quotes, then attributes. */
    static final class Headers {

        private Headers() {
        }

        /** package (or namespace) -> attributes; directives keep their colon ("resolution:", "filter:"). */
        static Map<String, Map<String, String>> parse(String header) {
            Map<String, Map<String, String>> clauses = new LinkedHashMap<>();
            if (header == null) {
                return clauses;
            }
            for (String clause : split(header, ',')) {
                List<String> parts = split(clause, ';');
                Map<String, String> attributes = new LinkedHashMap<>();
                List<String> names = new ArrayList<>();
                for (String part : parts) {
                    int eq = part.indexOf('=');
                    if (eq < 0) {
                        names.add(part.trim());
                        continue;
                    }
                    String key = part.substring(0, eq).trim();
                    String value = part.substring(eq + 1).trim();
                    if (key.endsWith(":")) {
                        // a directive, written name:=value
                    } else if (value.startsWith("=")) {
                        key = key + ":";
                        value = value.substring(1).trim();
                    }
                    if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                        value = value.substring(1, value.length() - 1);
                    }
                    attributes.put(key, value);
                }
                names.forEach(name -> clauses.put(name, attributes));
            }
            return clauses;
        }

        private static List<String> split(String text, char separator) {
            List<String> parts = new ArrayList<>();
            StringBuilder current = new StringBuilder();
            boolean quoted = false;
            for (char c : text.toCharArray()) {
                if (c == '"') {
                    quoted = !quoted;
                }
                if (c == separator && !quoted) {
                    parts.add(current.toString().trim());
                    current.setLength(0);
                } else {
                    current.append(c);
                }
            }
            if (!current.toString().isBlank()) {
                parts.add(current.toString().trim());
            }
            return parts;
        }
    }

    /** An OSGi version range: [a,b), (a,b], ..., or a bare floor. */
    record VersionRange(int[] floor, boolean floorIncluded, int[] ceiling, boolean ceilingIncluded) {

        static VersionRange parse(String text) {
            String t = text.trim();
            if (!t.startsWith("[") && !t.startsWith("(")) {
                return new VersionRange(version(t), true, null, false);
            }
            String[] bounds = t.substring(1, t.length() - 1).split(",");
            return new VersionRange(version(bounds[0]), t.startsWith("["), version(bounds[1]), t.endsWith("]"));
        }

        boolean includes(String v) {
            int[] version = version(v);
            int low = compare(version, floor);
            if (low < 0 || (low == 0 && !floorIncluded)) {
                return false;
            }
            if (ceiling == null) {
                return true;
            }
            int high = compare(version, ceiling);
            return high < 0 || (high == 0 && ceilingIncluded);
        }

        private static int[] version(String text) {
            String[] parts = text.trim().split("\\.");
            int[] numbers = new int[3];
            for (int i = 0; i < 3 && i < parts.length; i++) {
                numbers[i] = Integer.parseInt(parts[i]);
            }
            return numbers;
        }

        private static int compare(int[] a, int[] b) {
            for (int i = 0; i < 3; i++) {
                if (a[i] != b[i]) {
                    return Integer.compare(a[i], b[i]);
                }
            }
            return 0;
        }

        @Override
        public String toString() {
            return (floorIncluded ? "[" : "(") + join(floor) + (ceiling == null ? "" : "," + join(ceiling))
                   + (ceiling == null ? "" : ceilingIncluded ? "]" : ")");
        }

        private static String join(int[] v) {
            return java.util.Arrays.stream(v).mapToObj(String::valueOf).collect(Collectors.joining("."));
        }
    }
}
