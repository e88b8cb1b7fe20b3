package io.traceline.tenants;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * How to open a plain JDBC connection to the platform's database. Liquibase and other blocking
 * schema work use their own connection, never one of the reactive pool's.
 */
public record JdbcSettings(String jdbcUrl, String user, String password) {

  public Connection open() throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", user);
    if (password != null) {
      props.setProperty("password", password);
    }
    props.setProperty("ApplicationName", "traceline-migrations");
    return DriverManager.getConnection(jdbcUrl, props);
  }

  @Override
  public String toString() {
    return "JdbcSettings[" + jdbcUrl + ", user=" + user + "]";
  }
}
