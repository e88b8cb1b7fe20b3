package io.traceline.platform.documents;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;

import io.traceline.platform.testing.Api;
import io.traceline.platform.testing.TestDatabase;
import io.traceline.platform.testing.TestPlatform;
import io.traceline.platform.testing.TestPlatform.TenantFixture;
import io.traceline.tenants.JdbcSettings;
import io.traceline.tenants.SchemaMigrator;
import io.traceline.tenants.TenantSlug;
import io.vertx.core.json.JsonObject;
import liquibase.Scope;
import liquibase.command.CommandScope;
import liquibase.command.core.RollbackCountCommandStep;
import liquibase.command.core.helpers.DatabaseChangelogCommandStep;
import liquibase.command.core.helpers.DbUrlConnectionArgumentsCommandStep;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Migration 0017: the free-text sponsor programs of existing documents become programs the documents reference (SPN-1)")
class SponsorProgramMigrationIT {

  @Test
  @DisplayName("a schema with text sponsor programs, migrated: one program per distinct text (code from the text, sponsor from its parentheses, a number when two texts give one code), each document referencing its own; documents without stay without")
  void textBecomesReference() throws Exception {
    TestPlatform platform = TestPlatform.get();
    TenantFixture tenant = platform.newTenant("progmig");
    String schema = "t_" + tenant.slug();
    TestDatabase.Settings db = TestDatabase.get();

    // Back to the schema before 0017 (its rollback, after those of any later change sets), where documents carry their
    // program as text.
    int since = (int) platform.queryLong("SELECT count(*) FROM " + schema + ".databasechangelog WHERE orderexecuted >= "
        + "(SELECT orderexecuted FROM " + schema + ".databasechangelog WHERE id = 'tenant-0017-programs')");
    assertThat(since).isPositive();
    try (Connection connection = platform.jdbc()) {
      Database database = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(connection));
      database.setDefaultSchemaName(schema);
      database.setLiquibaseSchemaName(schema);
      Scope.child(Map.of(Scope.Attr.resourceAccessor.name(),
          new ClassLoaderResourceAccessor(SchemaMigrator.class.getClassLoader())), () -> {
        new CommandScope(RollbackCountCommandStep.COMMAND_NAME)
            .addArgumentValue(DbUrlConnectionArgumentsCommandStep.DATABASE_ARG, database)
            .addArgumentValue(DatabaseChangelogCommandStep.CHANGELOG_FILE_ARG, "db/tenant/changelog.xml")
            .addArgumentValue(RollbackCountCommandStep.COUNT_ARG, since)
            .setOutput(java.io.OutputStream.nullOutputStream())
            .execute();
      });
    }
    assertThat(platform.queryLong("SELECT count(*) FROM information_schema.tables WHERE table_schema = '" + schema
        + "' AND table_name = 'program'")).isZero();
    try (Connection connection = platform.jdbc(); Statement statement = connection.createStatement()) {
      statement.execute("INSERT INTO " + schema + ".document (id, number, title, type, owner_id, department, risk_class, "
          + "sponsor_program, review_interval_months, created_by) VALUES "
          + "(gen_random_uuid(), 'SOP-QA-001', 'One', 'sop', 'u', 'QA', 'high', 'NST-201 (Northstar Therapeutics)', 24, 'u'), "
          + "(gen_random_uuid(), 'SOP-QA-002', 'Two', 'sop', 'u', 'QA', 'high', 'NST-201 (Northstar Therapeutics)', 24, 'u'), "
          + "(gen_random_uuid(), 'SOP-QA-003', 'Three', 'sop', 'u', 'QA', 'low', 'Program X', 24, 'u'), "
          + "(gen_random_uuid(), 'SOP-QA-004', 'Four', 'sop', 'u', 'QA', 'low', 'program x', 24, 'u'), "
          + "(gen_random_uuid(), 'SOP-QA-005', 'Five', 'sop', 'u', 'QA', 'low', NULL, 24, 'u')");
    }

    new SchemaMigrator(new JdbcSettings(db.jdbcUrl(), db.user(), db.password()), TestPlatform.RUNTIME_ROLE)
        .migrateTenant(new TenantSlug(tenant.slug()));

    Api api = platform.api();
    String token = tenant.adminToken();
    Api.Response programs = api.get(tenant.path("/programs"), token);
    assertThat(programs.status()).as(programs.toString()).isEqualTo(200);
    assertThat(programs.json().getJsonArray("items").stream().map(p -> ((JsonObject) p).getString("code")).toList())
        .containsExactly("NST-201", "PROGRAM-X", "PROGRAM-X-2");
    JsonObject northstar = programs.json().getJsonArray("items").getJsonObject(0);
    assertThat(northstar.getString("name")).isEqualTo("NST-201 (Northstar Therapeutics)");
    assertThat(northstar.getString("sponsorName")).isEqualTo("Northstar Therapeutics");
    assertThat(northstar.getBoolean("active")).isTrue();

    Api.Response ofNorthstar = api.get(tenant.path("/documents?program=NST-201"), token);
    assertThat(ofNorthstar.json().getJsonArray("items").stream().map(d -> ((JsonObject) d).getString("number")).toList())
        .containsExactly("SOP-QA-001", "SOP-QA-002");
    assertThat(ofNorthstar.json().getJsonArray("items").getJsonObject(0).getJsonObject("program").getString("sponsorName"))
        .isEqualTo("Northstar Therapeutics");
    assertThat(api.get(tenant.path("/documents?program=PROGRAM-X-2"), token).json().getJsonArray("items")
        .getJsonObject(0).getString("number")).isEqualTo("SOP-QA-004");
    assertThat(api.get(tenant.path("/documents?q=SOP-QA-005"), token).json().getJsonArray("items").getJsonObject(0)
        .getValue("program")).isNull();
    assertThat(platform.queryLong("SELECT count(*) FROM information_schema.columns WHERE table_schema = '" + schema
        + "' AND table_name = 'document' AND column_name = 'sponsor_program'")).isZero();
    // The runtime role got its privileges on the new tables again: it can create a program.
    assertThat(api.post(tenant.path("/programs"), token, new JsonObject().put("code", "AUR-07").put("name", "AUR-07")
        .put("sponsorName", "Aurelia Biosciences")).status()).isEqualTo(201);
  }
}
