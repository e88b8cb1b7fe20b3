package io.traceline.platform.db;

import java.net.URI;
import java.util.Map;

import io.traceline.platform.config.Config;
import io.traceline.platform.config.ConfigException;
import io.traceline.tenants.JdbcSettings;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

/** The one shared reactive pool, and the JDBC settings of the same database for blocking schema work. */
public final class Database {

  private Database() {
  }

  public static Pool pool(Vertx vertx, Config config) {
    return pool(vertx, config, "traceline", config.dbPoolSize(), "traceline");
  }

  /**
   * A pool of its own, e.g. for the job runtime: its sessions carry {@code applicationName}, so other
   * members can find (and end) them when this member dies.
   */
  public static Pool pool(Vertx vertx, Config config, String name, int size, String applicationName) {
    return pool(vertx, config, name, size, applicationName, Map.of());
  }

  /** {@link #pool(Vertx, Config, String, int, String)} whose sessions start with these settings (GUCs). */
  public static Pool pool(Vertx vertx, Config config, String name, int size, String applicationName,
                          Map<String, String> settings) {
    PgConnectOptions connect = connectOptions(config);
    connect.addProperty("application_name", applicationName);
    settings.forEach(connect::addProperty);
    PoolOptions pool = new PoolOptions()
        .setName(name)
        .setMaxSize(size)
        .setMaxWaitQueueSize(size * 64)
        .setShared(true);
    return PgBuilder.pool().with(pool).connectingTo(connect).using(vertx).build();
  }

  static PgConnectOptions connectOptions(Config config) {
    String url = config.dbUrl().orElseThrow(() -> new ConfigException("No database configured"));
    PgConnectOptions options;
    try {
      options = PgConnectOptions.fromUri(url);
    } catch (RuntimeException e) {
      throw new ConfigException("TRACELINE_DB_URL must look like postgresql://host:5432/database, was '" + url + "'");
    }
    options.setUser(config.dbUser())
        .setPassword(config.dbPassword())
        .setCachePreparedStatements(true)
        .setPreparedStatementCacheMaxSize(512)
        // The client's default keeps statements of up to 2,048 characters; the matrix's set-based statements are
        // longer, and were parsed afresh at every execution.
        .setPreparedStatementCacheSqlLimit(16_384)
        .addProperty("application_name", "traceline");
    return options;
  }

  public static JdbcSettings jdbc(Config config) {
    PgConnectOptions options = connectOptions(config);
    String jdbcUrl = "jdbc:postgresql://" + options.getHost() + ":" + options.getPort() + "/" + options.getDatabase();
    URI uri = URI.create(config.dbUrl().orElseThrow());
    if (uri.getRawQuery() != null) {
      jdbcUrl += "?" + uri.getRawQuery();
    }
    return new JdbcSettings(jdbcUrl, config.migrationUser(), config.migrationPassword());
  }

  /**
   * Creates (or updates the password of) a login role for the platform's pool, as the owner {@code owner}
   * connects: the embedded dev database and the test suite run the platform as such a role, so the
   * privileges in {@code runtime-grants.sql} hold there as in production. Needs CREATEROLE.
   */
  public static void ensureRuntimeRole(JdbcSettings owner, String role, String password) {
    if (!role.matches("^[a-z_][a-z0-9_]{0,62}$")) {
      throw new ConfigException("Not a role name: " + role);
    }
    try (java.sql.Connection connection = owner.open(); java.sql.Statement statement = connection.createStatement()) {
      boolean exists;
      try (java.sql.ResultSet rows = statement.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = '" + role + "'")) {
        exists = rows.next();
      }
      String quotedPassword = password.replace("'", "''");
      statement.execute((exists ? "ALTER ROLE " : "CREATE ROLE ") + role + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '"
          + quotedPassword + "'");
    } catch (java.sql.SQLException e) {
      if ("42710".equals(e.getSQLState())) {
        return; // created concurrently by another instance
      }
      throw new IllegalStateException("Could not create the runtime database role " + role + ": " + e.getMessage(), e);
    }
  }
}
