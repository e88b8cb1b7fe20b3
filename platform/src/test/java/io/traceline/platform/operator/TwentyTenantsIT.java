package io.traceline.platform.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import io.traceline.platform.testing.Api;
import io.traceline.platform.testing.TestDatabase;
import io.traceline.platform.testing.TestPlatform;
import io.traceline.tenants.JdbcSettings;
import io.traceline.tenants.SchemaMigrator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Liquibase keeps a JVM-wide "already up to date" cache that has silently skipped tenants
 * (liquibase #4304, camunda #62802). Twenty tenants provisioned in one JVM must each be complete.
 */
@DisplayName("Twenty tenants provisioned in one JVM each get a complete schema")
class TwentyTenantsIT {

  @Test
  @DisplayName("every schema holds every table and every change set, and the registry records the changelog version")
  void twentyCompleteSchemas() throws SQLException {
    TestPlatform platform = TestPlatform.get();
    TestDatabase.Settings db = TestDatabase.get();
    String version = new SchemaMigrator(new JdbcSettings(db.jdbcUrl(), db.user(), db.password()), TestPlatform.RUNTIME_ROLE)
        .tenantChangelogVersion();
    int changeSets = Integer.parseInt(version.substring(0, version.indexOf(':')));
    List<String> slugs = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      String slug = TestPlatform.uniqueSlug("fleet" + i);
      Api.Response response = platform.api().post("/api/v1/operator/tenants", platform.operatorToken(),
          TestPlatform.provisioning(slug, "Fleet tenant " + i, "admin@" + slug.replace('_', '-') + ".example"));
      assertThat(response.status()).as(response.toString()).isEqualTo(201);
      slugs.add(slug);
    }

    Set<String> reference = null;
    try (Connection connection = platform.jdbc(); Statement statement = connection.createStatement()) {
      for (String slug : slugs) {
        Set<String> tables = new TreeSet<>();
        try (ResultSet rows = statement.executeQuery("SELECT table_name FROM information_schema.tables "
            + "WHERE table_schema = 't_" + slug + "'")) {
          while (rows.next()) {
            tables.add(rows.getString(1));
          }
        }
        assertThat(tables).as(slug).contains("role_grant", "person", "person_job_role", "databasechangelog", "audit_event",
            "audit_chain_head", "record_version", "signature", "app_user");
        if (reference == null) {
          reference = tables;
        }
        assertThat(tables).as(slug).isEqualTo(reference);
        try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM t_" + slug + ".databasechangelog")) {
          rows.next();
          assertThat(rows.getInt(1)).as(slug).isEqualTo(changeSets);
        }
        try (ResultSet rows = statement.executeQuery("SELECT changelog_version, state FROM control.tenant WHERE slug = '"
            + slug + "'")) {
          rows.next();
          assertThat(rows.getString(1)).as(slug).isEqualTo(version);
          assertThat(rows.getString(2)).as(slug).isEqualTo("ready");
        }
      }
    }
  }
}
