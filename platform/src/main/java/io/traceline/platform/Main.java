package io.traceline.platform;

import java.util.Arrays;

import io.traceline.platform.config.Config;
import io.traceline.platform.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar traceline.jar [dev]}. With {@code dev} (or TRACELINE_MODE=dev) an unconfigured
 * database and Keycloak are started locally and the demo tenant is seeded; see the README.
 */
public final class Main {

  private Main() {
  }

  public static void main(String[] args) {
    boolean dev = Arrays.asList(args).contains("dev");
    if (dev && System.getenv("TRACELINE_LOG_FORMAT") == null) {
      // Humans read a dev run's console; set before the first logger initialises Logback.
      System.setProperty("TRACELINE_LOG_FORMAT", "text");
    }
    Logger log = LoggerFactory.getLogger(Main.class);
    Config config;
    try {
      config = Config.fromEnvironment(System.getenv(), dev);
    } catch (ConfigException e) {
      log.error("Configuration error: {}", e.getMessage());
      System.exit(2);
      return;
    }
    log.info("Starting with {}", config);
    try {
      Platform platform = Platform.start(config);
      Runtime.getRuntime().addShutdownHook(new Thread(platform::close, "traceline-shutdown"));
    } catch (RuntimeException e) {
      log.error("Traceline could not start: {}", e.getMessage(), e);
      System.exit(1);
    }
  }
}
