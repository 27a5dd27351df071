package io.linguagate.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.linguagate.config.AnthropicConfig;
import io.linguagate.config.AuthConfig;
import io.linguagate.config.AzureConfig;
import io.linguagate.config.CompressionConfig;
import io.linguagate.config.GatewayConfig;
import io.linguagate.config.ModelConfig;
import io.linguagate.config.SavingsConfig;
import io.linguagate.config.UpstreamConfig;
import io.smallrye.config.ConfigMapping;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes and Knative manifests agree with the application: the port it listens on, its probe and metrics
 * paths, and configuration names it actually reads. A renamed key or port fails the build instead of a rollout.
 */
class ManifestAgreementTest {

    private static final Path K8S = Path.of("k8s");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Class<?>[] CONFIG_ROOTS = {GatewayConfig.class, UpstreamConfig.class, AnthropicConfig.class,
        AzureConfig.class, AuthConfig.class, ModelConfig.class, CompressionConfig.class, SavingsConfig.class};
    /** Read by the application outside its own config interfaces. */
    private static final Set<String> OTHER_ENV = Set.of("QUARKUS_HTTP_PORT", "HF_TOKEN");

    /** Resources (not kustomize patches, which are partial documents) in every YAML file under k8s/. */
    private static List<JsonNode> documents() throws IOException {
        Set<Path> patches = patchFiles();
        List<JsonNode> docs = new ArrayList<>();
        try (Stream<Path> files = Files.walk(K8S)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml") && !patches.contains(f.normalize()))
                    .toList()) {
                try (var parser = YAML.getFactory().createParser(file.toFile())) {
                    for (var it = YAML.readValues(parser, JsonNode.class); it.hasNext(); ) {
                        JsonNode doc = it.next();
                        if (doc != null && doc.has("kind")) {
                            docs.add(doc);
                        }
                    }
                }
            }
        }
        return docs;
    }

    private static Set<Path> patchFiles() throws IOException {
        Set<Path> patches = new HashSet<>();
        try (Stream<Path> files = Files.walk(K8S)) {
            for (Path file : files.filter(f -> f.getFileName().toString().equals("kustomization.yaml")).toList()) {
                for (JsonNode patch : YAML.readTree(file.toFile()).path("patches")) {
                    if (patch.has("path")) {
                        patches.add(file.resolveSibling(patch.path("path").asText()).normalize());
                    }
                }
            }
        }
        return patches;
    }

    private static JsonNode podSpec(JsonNode doc) {
        return doc.at("/spec/template/spec");
    }

    private static List<JsonNode> workloads() throws IOException {
        return documents().stream()
                .filter(d -> d.path("kind").asText().equals("Deployment")
                        || (d.path("kind").asText().equals("Service")
                        && d.path("apiVersion").asText().startsWith("serving.knative.dev/")))
                .toList();
    }

    private static int applicationPort() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("src/main/resources/application.properties"))) {
            properties.load(in);
        }
        return Integer.parseInt(properties.getProperty("quarkus.http.port"));
    }

    /** Every env name the application reads: its config interfaces' keys in environment form. */
    static Set<String> knownEnvNames() {
        Set<String> names = new HashSet<>(OTHER_ENV);
        for (Class<?> root : CONFIG_ROOTS) {
            collect(root, root.getAnnotation(ConfigMapping.class).prefix(), names);
        }
        return names;
    }

    private static void collect(Class<?> type, String prefix, Set<String> names) {
        for (Method method : type.getDeclaredMethods()) {
            if (method.isDefault() || method.getParameterCount() > 0 || method.isSynthetic()) {
                continue;
            }
            String key = prefix + "." + kebab(method.getName());
            Class<?> returned = method.getReturnType();
            if (returned.isInterface() && returned.getEnclosingClass() == type
                    && !java.util.Map.class.isAssignableFrom(returned)) {
                collect(returned, key, names);
            } else {
                names.add(key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
            }
        }
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    @Test
    void everyVariantHasAWorkload() throws IOException {
        List<JsonNode> workloads = workloads();
        assertTrue(workloads.stream().anyMatch(d -> d.path("kind").asText().equals("Deployment")));
        assertTrue(workloads.stream().anyMatch(d -> d.path("apiVersion").asText().equals("serving.knative.dev/v1")));
    }

    @Test
    void containersListenWhereTheApplicationListensAndProbeItsHealthPaths() throws IOException {
        int port = applicationPort();
        for (JsonNode workload : workloads()) {
            for (JsonNode container : podSpec(workload).path("containers")) {
                String where = workload.path("kind").asText() + " " + container.path("name").asText();
                assertEquals(port, container.at("/ports/0/containerPort").asInt(), where);
                assertEquals("/q/health/live", container.at("/livenessProbe/httpGet/path").asText(), where);
                assertEquals("/q/health/ready", container.at("/readinessProbe/httpGet/path").asText(), where);
                if (container.has("startupProbe")) {
                    assertEquals("/q/health/live", container.at("/startupProbe/httpGet/path").asText(), where);
                }
                assertEquals(String.valueOf(port),
                        workload.at("/spec/template/metadata/annotations/prometheus.io~1port").asText(), where);
                assertEquals("/q/metrics",
                        workload.at("/spec/template/metadata/annotations/prometheus.io~1path").asText(), where);
            }
        }
    }

    @Test
    void everyConfiguredNameIsOneTheApplicationReads() throws IOException {
        Set<String> known = knownEnvNames();
        int checked = 0;
        for (JsonNode doc : documents()) {
            if (doc.path("kind").asText().equals("ConfigMap")) {
                for (var field : (Iterable<String>) doc.path("data")::fieldNames) {
                    assertTrue(known.contains(field), "ConfigMap key " + field + " is not read by the application");
                    checked++;
                }
            }
        }
        for (JsonNode workload : workloads()) {
            for (JsonNode container : podSpec(workload).path("containers")) {
                for (JsonNode env : container.path("env")) {
                    String name = env.path("name").asText();
                    assertTrue(known.contains(name), "env " + name + " is not read by the application");
                    checked++;
                }
            }
        }
        assertTrue(checked > 5, "no configuration found to check");
    }

    @Test
    void overlayPatchesOnlyTouchKeysThatExist() throws IOException {
        Set<String> known = knownEnvNames();
        try (Stream<Path> files = Files.walk(K8S.resolve("overlays"))) {
            for (Path file : files.filter(f -> f.getFileName().toString().equals("kustomization.yaml")).toList()) {
                for (String line : Files.readAllLines(file)) {
                    int at = line.indexOf("path: /data/");
                    if (at >= 0) {
                        String key = line.substring(at + "path: /data/".length()).trim();
                        assertTrue(known.contains(key), file + " patches unknown key " + key);
                    }
                }
            }
        }
        assertFalse(known.isEmpty());
    }
}
