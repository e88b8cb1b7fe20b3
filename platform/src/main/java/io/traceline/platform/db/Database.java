package io.traceline.platform.db;

import java.net.URI;

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
    PgConnectOptions connect = connectOptions(config);
    connect.addProperty("application_name", applicationName);
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
    return new JdbcSettings(jdbcUrl, config.dbUser(), config.dbPassword());
  }
}
