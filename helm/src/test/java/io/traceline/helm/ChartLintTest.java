package io.traceline.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.LintResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayName("helm lint --strict")
class ChartLintTest {

  @Test
  @DisplayName("passes on the chart's default values")
  void defaultValuesPassStrictLint() {
    LintResult result = Chart.lint(Chart.directory());

    // Lint always reports the INFO "icon is recommended"; only failures matter.
    assertThat(result.isFailed()).as("lint messages: %s", result.getMessages()).isFalse();
  }

  @Test
  @DisplayName("has values files in ci/ to check, among them default, HA and external-secrets installs")
  void ciValuesFilesExist() {
    assertThat(Chart.ciValuesFiles())
        .extracting(p -> p.getFileName().toString())
        .contains("default-values.yaml", "ha-values.yaml", "external-secrets-values.yaml");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ciValuesFiles")
  @DisplayName("passes with every values file in ci/")
  void everyCiValuesFilePassesStrictLint(Path valuesFile, @TempDir Path workDir) {
    LintResult result = Chart.lintWith(valuesFile, workDir);

    assertThat(result.isFailed()).as("lint messages for %s: %s", valuesFile, result.getMessages()).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ciValuesFiles")
  @DisplayName("every values file in ci/ renders a Deployment and both Services")
  void everyCiValuesFileRenders(Path valuesFile) {
    Chart.Rendered rendered = Chart.render(Map.of(), valuesFile);

    assertThat(rendered.kinds()).contains(
        "Deployment/" + Chart.FULLNAME,
        "Service/" + Chart.FULLNAME,
        "Service/" + Chart.FULLNAME + "-hazelcast",
        "ConfigMap/" + Chart.FULLNAME);
  }

  @Test
  @DisplayName("fails with a values file that breaks the schema, so the ci/ checks can fail")
  void badValuesFileFailsLint(@TempDir Path workDir) throws Exception {
    Path bad = Files.writeString(workDir.resolve("bad-values.yaml"), "replicaCount: three\n");

    LintResult result = Chart.lintWith(bad, workDir);

    assertThat(result.isFailed()).isTrue();
    assertThat(result.getMessages()).anySatisfy(m -> assertThat(m).contains("replicaCount"));
  }

  static List<Path> ciValuesFiles() {
    return Chart.ciValuesFiles();
  }
}
