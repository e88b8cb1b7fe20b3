package io.traceline.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.representer.Representer;

/** The chart under test: lints it and renders it offline through helm-java, and parses what it renders. */
final class Chart {

  static final String RELEASE = "qms";
  static final String NAMESPACE = "quality";
  static final String FULLNAME = "qms-traceline";

  /** The values every install must give: the two URLs and existing Secrets. */
  static final Map<String, Object> REQUIRED = Map.of(
      "database.url", "postgresql://pg.quality.svc:5432/traceline",
      "database.existingSecret", "traceline-db",
      "keycloak.url", "https://id.example.com",
      "keycloak.existingSecret", "traceline-keycloak");

  private Chart() {
  }

  /** The chart directory, whichever directory Maven or the IDE was started from. */
  static Path directory() {
    String basedir = System.getProperty("basedir");
    List<Path> candidates = new ArrayList<>();
    if (basedir != null && !basedir.isBlank()) {
      candidates.add(Paths.get(basedir, "traceline"));
    }
    candidates.add(Paths.get("traceline"));
    candidates.add(Paths.get("helm", "traceline"));
    return candidates.stream()
        .filter(p -> Files.isRegularFile(p.resolve("Chart.yaml")))
        .findFirst()
        .map(p -> p.toAbsolutePath().normalize())
        .orElseThrow(() -> new IllegalStateException("chart not found in " + candidates));
  }

  static List<Path> ciValuesFiles() {
    try (Stream<Path> files = Files.list(directory().resolve("ci"))) {
      return files.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static LintResult lint(Path chartDirectory) {
    return new Helm(chartDirectory).lint().strict().call();
  }

  /**
   * {@code helm lint --strict -f valuesFile}: helm-java's lint takes no values files, so the chart is
   * copied into {@code workDir} with the values file merged over its values.yaml the way Helm
   * coalesces user values (maps merge key by key, anything else replaces, null removes).
   */
  @SuppressWarnings("unchecked")
  static LintResult lintWith(Path valuesFile, Path workDir) {
    Path source = directory();
    Path copy = workDir.resolve("traceline");
    copyTree(source, copy);
    Map<String, Object> defaults = (Map<String, Object>) load(source.resolve("values.yaml"));
    Map<String, Object> overrides = (Map<String, Object>) load(valuesFile);
    Map<String, Object> merged = coalesce(defaults, overrides == null ? Map.of() : overrides);
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    try {
      Files.writeString(copy.resolve("values.yaml"), new Yaml(options).dump(merged));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return lint(copy);
  }

  /** {@code helm template} with the required values and {@code overrides} given as --set. */
  static Rendered render(Map<String, Object> overrides) {
    Map<String, Object> values = new LinkedHashMap<>(REQUIRED);
    values.putAll(overrides);
    return render(values, null);
  }

  static Rendered render() {
    return render(Map.of());
  }

  /** {@code helm template} with exactly these --set values and an optional values file. */
  static Rendered render(Map<String, Object> sets, Path valuesFile) {
    TemplateCommand template = new Helm(directory()).template()
        .withName(RELEASE)
        .withNamespace(NAMESPACE);
    if (valuesFile != null) {
      template = template.withValuesFile(valuesFile);
    }
    for (Map.Entry<String, Object> set : sets.entrySet()) {
      template = template.set(set.getKey(), set.getValue());
    }
    return Rendered.parse(template.call());
  }

  /**
   * Renders the {@code helm test} hooks too. helm-java's template returns only the release manifest,
   * without hooks; in a copy of the chart the hook annotation is renamed to {@link #HOOK_ANNOTATION}
   * so the test pod renders like any manifest and its hook declaration can still be asserted.
   */
  static Rendered renderWithTestHooks(Path workDir) {
    Path copy = workDir.resolve("traceline");
    copyTree(directory(), copy);
    try (Stream<Path> files = Files.walk(copy.resolve("templates").resolve("tests"))) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        Files.writeString(file, Files.readString(file).replace("helm.sh/hook", HOOK_ANNOTATION));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    TemplateCommand template = new Helm(copy).template().withName(RELEASE).withNamespace(NAMESPACE);
    for (Map.Entry<String, Object> set : REQUIRED.entrySet()) {
      template = template.set(set.getKey(), set.getValue());
    }
    return Rendered.parse(template.call());
  }

  static final String HOOK_ANNOTATION = "renamed-for-test/hook";

  private static Object load(Path file) {
    try {
      return yaml().load(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Yaml yaml() {
    return new Yaml(new SafeConstructor(new LoaderOptions()), new Representer(new DumperOptions()),
        new DumperOptions(), new LoaderOptions());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> coalesce(Map<String, Object> base, Map<String, Object> override) {
    Map<String, Object> merged = new LinkedHashMap<>(base);
    override.forEach((key, value) -> {
      Object current = merged.get(key);
      if (value == null) {
        merged.remove(key);
      } else if (value instanceof Map<?, ?> map && current instanceof Map<?, ?> currentMap) {
        merged.put(key, coalesce((Map<String, Object>) currentMap, (Map<String, Object>) map));
      } else {
        merged.put(key, value);
      }
    });
    return merged;
  }

  private static void copyTree(Path from, Path to) {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path path : paths.toList()) {
        Path target = to.resolve(from.relativize(path).toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(target);
        } else {
          Files.copy(path, target);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The manifests of one render, parsed into maps. */
  record Rendered(List<Map<String, Object>> manifests) {

    @SuppressWarnings("unchecked")
    static Rendered parse(String yaml) {
      List<Map<String, Object>> manifests = new ArrayList<>();
      for (Object document : yaml().loadAll(yaml)) {
        if (document != null) {
          manifests.add((Map<String, Object>) document);
        }
      }
      return new Rendered(List.copyOf(manifests));
    }

    Optional<Node> find(String kind, String name) {
      return manifests.stream()
          .map(Node::new)
          .filter(m -> kind.equals(m.string("kind")) && name.equals(m.string("metadata.name")))
          .findFirst();
    }

    Node get(String kind, String name) {
      return find(kind, name).orElseThrow(
          () -> new AssertionError("no " + kind + " " + name + " in " + kinds()));
    }

    List<Node> all(String kind) {
      return manifests.stream().map(Node::new).filter(m -> kind.equals(m.string("kind"))).toList();
    }

    List<String> kinds() {
      return manifests.stream().map(m -> m.get("kind") + "/" + ((Map<?, ?>) m.get("metadata")).get("name"))
          .toList();
    }

    Node deployment() {
      return get("Deployment", FULLNAME);
    }

    Node configMap() {
      return get("ConfigMap", FULLNAME);
    }

    /** The platform container of the Deployment. */
    Node container() {
      return deployment().list("spec.template.spec.containers").stream()
          .filter(c -> "platform".equals(c.string("name")))
          .findFirst()
          .orElseThrow();
    }

    String checksum() {
      return deployment().string("spec.template.metadata.annotations.checksum/config");
    }
  }

  /** A parsed YAML node navigated by dotted paths (keys containing dots are not supported). */
  record Node(Object value) {

    Object at(String path) {
      Object current = value;
      for (String key : path.split("\\.")) {
        if (!(current instanceof Map<?, ?> map)) {
          return null;
        }
        current = map.get(key);
      }
      return current;
    }

    Node node(String path) {
      return new Node(at(path));
    }

    String string(String path) {
      Object found = at(path);
      return found == null ? null : found.toString();
    }

    /** The map at {@code path}, or an empty map when there is none. Rendered YAML keys are strings. */
    @SuppressWarnings("unchecked")
    Map<String, Object> map(String path) {
      Object found = at(path);
      return found instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    List<Node> list(String path) {
      Object found = at(path);
      if (!(found instanceof List<?> list)) {
        return List.of();
      }
      return list.stream().map(Node::new).toList();
    }

    /** The element of a list of named objects (ports, env, volumes) with this name. */
    Node named(String listPath, String name) {
      return list(listPath).stream()
          .filter(n -> name.equals(n.string("name")))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no " + name + " in " + listPath + " of " + value));
    }
  }
}
