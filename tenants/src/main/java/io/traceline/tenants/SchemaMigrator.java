package io.traceline.tenants;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import liquibase.Scope;
import liquibase.changelog.ChangeLogParameters;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.changelog.FastCheckService;
import liquibase.command.CommandScope;
import liquibase.command.core.UpdateCommandStep;
import liquibase.command.core.helpers.DbUrlConnectionArgumentsCommandStep;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.parser.ChangeLogParserFactory;
import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.resource.ResourceAccessor;
import liquibase.ui.LoggerUIService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the Liquibase changelogs: {@code db/control} to the control schema and {@code db/tenant} to
 * each tenant schema. Blocking: call it from a worker thread, never from an event loop.
 *
 * <p>Every run uses its own JDBC connection with both the default schema and Liquibase's own tables
 * set to the target schema, so each tenant keeps its own {@code databasechangelog}. Liquibase keeps a
 * JVM-wide "already up to date" cache that has skipped tenants whose schema differed only by name
 * (liquibase #4304, camunda #62802); it is cleared before each run and a test migrates many tenants in
 * one JVM to prove every schema ends up complete.
 */
public final class SchemaMigrator {

  public static final String CONTROL_SCHEMA = "control";
  static final String CONTROL_CHANGELOG = "db/control/changelog.xml";
  static final String TENANT_CHANGELOG = "db/tenant/changelog.xml";
  static final String CONTROL_GRANTS = "db/control/runtime-grants.sql";
  static final String TENANT_GRANTS = "db/tenant/runtime-grants.sql";
  private static final java.util.regex.Pattern ROLE = java.util.regex.Pattern.compile("^[A-Za-z_][A-Za-z0-9_$.-]{0,62}$");

  private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrator.class);

  private final JdbcSettings jdbc;
  private final ResourceAccessor resources = new ClassLoaderResourceAccessor(SchemaMigrator.class.getClassLoader());
  private final String tenantChangelogVersion;
  /** The role the platform's pool runs as, when it is not the owner that migrates; null when they are the same. */
  private final String runtimeRole;

  public SchemaMigrator(JdbcSettings jdbc) {
    this(jdbc, null);
  }

  /**
   * {@code jdbc} connects as the schemas' owner; {@code runtimeRole} (null: the same login) is given the
   * privileges of {@code runtime-grants.sql} after every migration, so the platform can write business
   * tables but cannot rewrite the append-only ones (P11-1).
   */
  public SchemaMigrator(JdbcSettings jdbc, String runtimeRole) {
    if (runtimeRole != null && !ROLE.matcher(runtimeRole).matches()) {
      throw new IllegalArgumentException("Not a database role name: " + runtimeRole);
    }
    this.jdbc = jdbc;
    this.runtimeRole = runtimeRole == null || runtimeRole.equals(jdbc.user()) ? null : runtimeRole;
    // The runtime role's privileges are part of what a tenant schema is migrated to: a tenant migrated without
    // them (or for another role) counts as behind, and the next start grants them.
    this.tenantChangelogVersion = fingerprint(TENANT_CHANGELOG)
        + (this.runtimeRole == null ? "" : ":" + digest(readResource(TENANT_GRANTS) + "\u0000" + this.runtimeRole));
  }

  /** Creates and migrates the control schema (the tenant registry). */
  public void migrateControl() {
    migrate(CONTROL_SCHEMA, CONTROL_CHANGELOG, CONTROL_GRANTS);
  }

  /** Creates the tenant's schema if needed and brings it to the latest tenant changelog. */
  public String migrateTenant(TenantSlug slug) {
    migrate(slug.schemaName(), TENANT_CHANGELOG, TENANT_GRANTS);
    return tenantChangelogVersion;
  }

  /**
   * A fingerprint of the tenant changelog this build carries (ids, authors and checksums of every
   * change set). A tenant whose recorded fingerprint equals it needs no migration: a cheap gate
   * before opening a connection per tenant when upgrading a fleet.
   */
  public String tenantChangelogVersion() {
    return tenantChangelogVersion;
  }

  private void migrate(String schema, String changelog, String grants) {
    long started = System.nanoTime();
    try (Connection connection = jdbc.open()) {
      try (Statement statement = connection.createStatement()) {
        // The schema name comes from a validated slug or a constant, never from raw input.
        statement.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
      }
      Database database = DatabaseFactory.getInstance()
          .findCorrectDatabaseImplementation(new JdbcConnection(connection));
      database.setDefaultSchemaName(schema);
      database.setLiquibaseSchemaName(schema);
      // Liquibase's console UI would print to stdout; its logger UI goes to the platform's log instead.
      Scope.child(Map.of(Scope.Attr.resourceAccessor.name(), resources, Scope.Attr.ui.name(), new LoggerUIService()), () -> {
        Scope.getCurrentScope().getSingleton(FastCheckService.class).clearCache();
        new CommandScope(UpdateCommandStep.COMMAND_NAME)
            .addArgumentValue(DbUrlConnectionArgumentsCommandStep.DATABASE_ARG, database)
            .addArgumentValue(UpdateCommandStep.CHANGELOG_FILE_ARG, changelog)
            .setOutput(java.io.OutputStream.nullOutputStream())
            .execute();
      });
      grantRuntimePrivileges(connection, schema, grants);
      LOG.info("Migrated schema {} with {} in {} ms", schema, changelog, (System.nanoTime() - started) / 1_000_000);
    } catch (SQLException e) {
      throw new MigrationException("Could not migrate schema " + schema + ": " + e.getMessage(), e);
    } catch (Exception e) {
      throw new MigrationException("Could not migrate schema " + schema + ": " + rootMessage(e), e);
    }
  }

  /**
   * Applies the runtime role's privileges on the schema in one transaction, so the role never sees a moment
   * with more privileges than the file grants. Identifiers are quoted by the database, never concatenated raw.
   */
  private void grantRuntimePrivileges(Connection connection, String schema, String grants) throws SQLException {
    if (runtimeRole == null) {
      return;
    }
    String sql = readResource(grants);
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try (Statement statement = connection.createStatement()) {
      String quotedSchema = quoteIdentifier(statement, schema);
      String quotedRole = quoteIdentifier(statement, runtimeRole);
      for (String command : sql.replaceAll("(?m)^--.*$", "").split(";")) {
        if (!command.isBlank()) {
          statement.execute(command.replace("${schema}", quotedSchema).replace("${role}", quotedRole));
        }
      }
      connection.commit();
    } catch (SQLException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(autoCommit);
    }
  }

  private static String quoteIdentifier(Statement statement, String identifier) throws SQLException {
    try (var rows = statement.executeQuery("SELECT quote_ident('" + identifier.replace("'", "''") + "')")) {
      rows.next();
      return rows.getString(1);
    }
  }

  private String readResource(String name) {
    try (var in = SchemaMigrator.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new MigrationException("Missing resource " + name, null);
      }
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new MigrationException("Could not read " + name + ": " + e.getMessage(), e);
    }
  }

  private static String digest(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private String fingerprint(String changelog) {
    try {
      DatabaseChangeLog parsed = Scope.child(Map.of(Scope.Attr.resourceAccessor.name(), resources), () ->
          ChangeLogParserFactory.getInstance().getParser(changelog, resources)
              .parse(changelog, new ChangeLogParameters(), resources));
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      List<ChangeSet> changeSets = parsed.getChangeSets();
      for (ChangeSet changeSet : changeSets) {
        digest.update((changeSet.getId() + "\u0000" + changeSet.getAuthor() + "\u0000"
            + changeSet.generateCheckSum(liquibase.ChecksumVersion.latest()) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
      return changeSets.size() + ":" + HexFormat.of().formatHex(digest.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    } catch (Exception e) {
      throw new MigrationException("Could not read changelog " + changelog + ": " + rootMessage(e), e);
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
  }

  /** A schema could not be brought to the latest changelog. */
  public static final class MigrationException extends RuntimeException {
    MigrationException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  static {
    // Liquibase's own usage reporting and banner are noise in a server log.
    System.setProperty("liquibase.analytics.enabled", "false");
    System.setProperty("liquibase.showBanner", "false");
  }
}
