package io.github.cameltokenrefresh.docs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Renders docs/reference.md from the component metadata that camel-package-maven-plugin generates
 * ({@code META-INF/io/github/cameltokenrefresh/tokenrefresh.json}). The output depends on the JSON only: options and
 * headers in their {@code index} order, enums sorted by type name, {@code \n} line endings. It renders the same file
 * from the metadata of both Camel lines the build supports (4.18 and 4.14), which differ only in the {@code type} of
 * enum options.
 * <p>
 * {@link ReferenceDocTest} fails when docs/reference.md differs from {@link #render()}; run it with
 * {@code -Dtokenrefresh.updateDocs=true} to rewrite the file, or run {@link #main(String[])} with the target path.
 */
public final class ReferenceDoc {

    /** Where the build puts the metadata on the classpath (copied from src/generated/resources). */
    public static final String METADATA = "META-INF/io/github/cameltokenrefresh/tokenrefresh.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private ReferenceDoc() {
    }

    /** The Markdown for the metadata on the test classpath. */
    public static String render() {
        try (InputStream in = ReferenceDoc.class.getClassLoader().getResourceAsStream(METADATA)) {
            if (in == null) {
                throw new IllegalStateException(METADATA + " is not on the classpath; build the module first");
            }
            return render(JSON.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + METADATA, e);
        }
    }

    /** The Markdown for one component JSON document. */
    public static String render(JsonNode root) {
        JsonNode component = root.path("component");
        String scheme = component.path("scheme").asText();
        StringBuilder md = new StringBuilder();

        md.append("# ").append(component.path("title").asText()).append(" component reference\n\n");
        md.append("<!-- Generated from ").append(fileName(METADATA)).append(" by ReferenceDoc (test sources). Do not edit:\n")
                .append("     ./mvnw -pl camel-tokenrefresh-component test -Dtest=ReferenceDocTest -Dtokenrefresh.updateDocs=true -->\n\n");
        md.append(component.path("description").asText()).append("\n\n");
        md.append("| Scheme | Syntax | Producer only | Since | Maven coordinates |\n");
        md.append("| --- | --- | --- | --- | --- |\n");
        md.append("| `").append(scheme).append("` | `").append(component.path("syntax").asText()).append("` | ")
                .append(yesNo(component.path("producerOnly").asBoolean())).append(" | ")
                .append(component.path("firstVersion").asText()).append(" | `")
                .append(component.path("groupId").asText()).append(':').append(component.path("artifactId").asText())
                .append("` |\n\n");
        md.append(HEADER);

        List<JsonNode> endpointAll = sorted(root.path("properties"));
        List<JsonNode> paths = endpointAll.stream().filter(p -> "path".equals(p.path("kind").asText())).toList();
        List<JsonNode> endpointOptions = endpointAll.stream().filter(p -> !"path".equals(p.path("kind").asText())).toList();
        List<JsonNode> componentOptions = sorted(root.path("componentProperties"));
        List<JsonNode> headers = sorted(root.path("headers"));

        md.append("## Path parameter\n\n");
        md.append("| Name | Description | Required | Type |\n");
        md.append("| --- | --- | --- | --- |\n");
        for (JsonNode p : paths) {
            md.append("| `").append(p.path("name").asText()).append("` | ").append(cell(p.path("description").asText()))
                    .append(" | ").append(yesNo(p.path("required").asBoolean())).append(" | ").append(type(p))
                    .append(" |\n");
        }
        md.append('\n');

        md.append("## Component options (").append(componentOptions.size()).append(")\n\n");
        md.append("Defaults of every provider configured by endpoint URIs or component options (not of provider beans).")
                .append(" Camel Main / application.properties keys start with `camel.component.")
                .append(scheme).append(".`; map options take one key per entry, as in `camel.component.").append(scheme)
                .append(".headers[partnerId]=42`.\n\n");
        md.append("| Name | Description | Default | Type | Group | Secret | Camel Main key |\n");
        md.append("| --- | --- | --- | --- | --- | --- | --- |\n");
        for (JsonNode o : componentOptions) {
            md.append("| ").append(optionName(o)).append(" | ").append(cell(o.path("description").asText())).append(" | ")
                    .append(defaultValue(o)).append(" | ").append(type(o)).append(" | ").append(group(o)).append(" | ")
                    .append(yesNo(o.path("secret").asBoolean())).append(" | `camel.component.").append(scheme).append('.')
                    .append(kebab(o.path("name").asText()))
                    .append(o.path("multiValue").asBoolean() || isMap(o) ? "[<key>]" : "").append("` |\n");
        }
        md.append('\n');

        md.append("## Endpoint options (").append(endpointOptions.size()).append(")\n\n");
        md.append("Query parameters of `").append(component.path("syntax").asText())
                .append("`. Options that describe the provider (everything except `operation`, `account`, `headerName`,")
                .append(" `headerPrefix`, `refreshToken` and `lazyStartProducer`) belong on one endpoint per provider.\n\n");
        md.append("| Name | Description | Default | Type | Group | Secret |\n");
        md.append("| --- | --- | --- | --- | --- | --- |\n");
        for (JsonNode o : endpointOptions) {
            md.append("| ").append(optionName(o)).append(" | ").append(cell(o.path("description").asText())).append(" | ")
                    .append(defaultValue(o)).append(" | ").append(type(o)).append(" | ").append(group(o)).append(" | ")
                    .append(yesNo(o.path("secret").asBoolean())).append(" |\n");
        }
        md.append('\n');

        md.append("## Message headers (").append(headers.size()).append(")\n\n");
        md.append("| Name | Description | Java type | Group | Secret | Constant |\n");
        md.append("| --- | --- | --- | --- | --- | --- |\n");
        for (JsonNode h : headers) {
            md.append("| `").append(h.path("name").asText()).append("` | ").append(cell(h.path("description").asText()))
                    .append(" | `").append(simpleJavaType(h.path("javaType").asText())).append("` | ").append(group(h))
                    .append(" | ").append(yesNo(h.path("secret").asBoolean())).append(" | `")
                    .append(simpleJavaType(h.path("constantName").asText())).append("` |\n");
        }
        md.append('\n');

        md.append("## Enums\n\n");
        md.append("| Java type | Values | Used by |\n");
        md.append("| --- | --- | --- |\n");
        Map<String, List<String>> values = new LinkedHashMap<>();
        Map<String, Set<String>> usedBy = new LinkedHashMap<>();
        List<JsonNode> all = new ArrayList<>(componentOptions);
        all.addAll(endpointOptions);
        for (JsonNode o : all) {
            if (isEnum(o)) {
                String javaType = o.path("javaType").asText();
                List<String> list = new ArrayList<>();
                o.path("enum").forEach(v -> list.add(v.asText()));
                values.putIfAbsent(javaType, list);
                usedBy.computeIfAbsent(javaType, k -> new TreeSet<>()).add(o.path("name").asText());
            }
        }
        for (String javaType : new TreeSet<>(values.keySet())) {
            md.append("| `").append(javaType).append("` | ").append(codeList(values.get(javaType))).append(" | ")
                    .append(codeList(new ArrayList<>(usedBy.get(javaType)))).append(" |\n");
        }
        return md.toString();
    }

    /** Hand-written: the one place the generated reference says how to read it. */
    private static final String HEADER = """
            Name a provider in the path (`tokenrefresh:aweber`); every endpoint, route and thread naming it shares one \
            token per account. Describe a provider once: on one endpoint URI, with the component options below \
            (the defaults of every provider configured by URI or component options), or as a \
            `TokenRefreshConfiguration` bean named after the provider, which is complete on its own. A preset only \
            fills options left unset. Durations take milliseconds or units (`30s`, `5m`, `1h`). Options marked \
            secret belong in property placeholders or a vault (`{{env:...}}`, or a Camel vault such as `{{hashicorp:...}}` or `{{aws:...}}`) on a bean or the \
            component, not written into a URI. Guides: [dialects](dialects.md), [refresh timing](refresh-timing.md), \
            [stores](stores.md), [security](security.md), [errors](errors.md).

            """;

    private static List<JsonNode> sorted(JsonNode object) {
        List<JsonNode> list = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            com.fasterxml.jackson.databind.node.ObjectNode copy = field.getValue().deepCopy();
            copy.put("name", field.getKey());
            list.add(copy);
        }
        list.sort(Comparator.comparingInt((JsonNode n) -> n.path("index").asInt()).thenComparing(n -> n.path("name").asText()));
        return list;
    }

    private static String optionName(JsonNode o) {
        String name = "`" + o.path("name").asText() + "`";
        if (o.hasNonNull("prefix") && !o.path("prefix").asText().isEmpty()) {
            name += " (`" + o.path("prefix").asText() + "<name>`)";
        }
        if (o.path("required").asBoolean()) {
            name += " *required*";
        }
        return name;
    }

    private static String defaultValue(JsonNode o) {
        JsonNode d = o.get("defaultValue");
        if (d == null || d.isNull() || d.asText().isEmpty()) {
            return "";
        }
        return "`" + d.asText() + "`";
    }

    private static String type(JsonNode o) {
        String type = o.path("type").asText();
        // the enum values decide, not "type": camel-package-maven-plugin 4.14 types enum options as "object"
        if (isEnum(o)) {
            List<String> list = new ArrayList<>();
            o.path("enum").forEach(v -> list.add(v.asText()));
            return "enum: " + codeList(list);
        }
        if ("object".equals(type)) {
            return "object `" + simpleJavaType(o.path("javaType").asText()) + "`";
        }
        return type;
    }

    private static boolean isEnum(JsonNode o) {
        return o.path("enum").isArray() && o.path("enum").size() > 0;
    }

    private static boolean isMap(JsonNode o) {
        return o.path("javaType").asText().startsWith("java.util.Map");
    }

    private static String group(JsonNode o) {
        String group = o.path("group").asText();
        String label = o.path("label").asText();
        return label.isEmpty() || label.equals(group) ? group : group + " (label `" + label + "`)";
    }

    private static String codeList(List<String> values) {
        StringBuilder sb = new StringBuilder();
        for (String v : values) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append('`').append(v).append('`');
        }
        return sb.toString();
    }

    /** {@code java.util.Map<java.lang.String, java.lang.Object>} becomes {@code Map<String, Object>}. */
    static String simpleJavaType(String javaType) {
        return javaType.replaceAll("\\b[a-z][a-z0-9_]*\\.", "");
    }

    /** {@code sslContextParameters} becomes {@code ssl-context-parameters}. */
    static String kebab(String name) {
        StringBuilder sb = new StringBuilder();
        for (char c : name.toCharArray()) {
            if (Character.isUpperCase(c)) {
                sb.append('-').append(Character.toLowerCase(c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }

    private static String yesNo(boolean b) {
        return b ? "yes" : "no";
    }

    private static String cell(String text) {
        return text.replace("\r", " ").replace("\n", " ").replace("|", "\\|").trim();
    }

    private static String fileName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** Writes the reference to the given path (default {@code ../docs/reference.md}). */
    public static void main(String[] args) throws IOException {
        Path target = Path.of(args.length > 0 ? args[0] : "../docs/reference.md");
        Files.createDirectories(target.toAbsolutePath().getParent());
        Files.writeString(target, render(), StandardCharsets.UTF_8);
    }
}
