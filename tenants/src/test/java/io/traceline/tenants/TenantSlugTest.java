package io.traceline.tenants;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Tenant slugs are safe as organization aliases and schema names")
class TenantSlugTest {

  @ParameterizedTest
  @ValueSource(strings = {"acme", "acme_pharma", "cdmo2", "a12", "abcdefghijabcdefghijabcdefghijabcdefghij"})
  @DisplayName("lower-case letters, digits and underscores, starting with a letter, 3 to 40 long, are accepted")
  void accepted(String slug) {
    assertThat(TenantSlug.isValid(slug)).isTrue();
    assertThat(new TenantSlug(slug).schemaName()).isEqualTo("t_" + slug);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "ab", "Acme", "1acme", "_acme", "acme-pharma", "acme pharma", "acme;drop", "t\u00e9st",
      "abcdefghijabcdefghijabcdefghijabcdefghijk"})
  @DisplayName("anything else is refused before it can reach SQL or Keycloak")
  void refused(String slug) {
    assertThat(TenantSlug.isValid(slug)).isFalse();
    assertThatThrownBy(() -> new TenantSlug(slug)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("the provisioning steps resume after the last one recorded")
  void stepsResumeInOrder() {
    assertThat(ProvisioningStep.SCHEMA_MIGRATED.isDoneBy(ProvisioningStep.ORGANIZATION_CREATED)).isTrue();
    assertThat(ProvisioningStep.ADMIN_CREATED.isDoneBy(ProvisioningStep.ORGANIZATION_CREATED)).isFalse();
    assertThat(ProvisioningStep.fromDb("admin_granted")).isEqualTo(ProvisioningStep.ADMIN_GRANTED);
  }
}
