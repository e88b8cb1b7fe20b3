package io.traceline.platform.config;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Typed reads of environment variables; a malformed value stops the start with its name. */
final class EnvReader {

  private final Map<String, String> env;

  EnvReader(Map<String, String> env) {
    this.env = env;
  }

  Optional<String> optional(String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }

  String string(String name, String fallback) {
    return optional(name).orElse(fallback);
  }

  long positiveLong(String name, long fallback) {
    Optional<String> value = optional(name);
    if (value.isEmpty()) {
      return fallback;
    }
    try {
      long parsed = Long.parseLong(value.get());
      if (parsed <= 0) {
        throw new ConfigException(name + " must be positive, was " + value.get());
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw new ConfigException(name + " must be a number, was '" + value.get() + "'");
    }
  }

  int port(String name, int fallback) {
    long port = optional(name).isPresent() ? positiveLongOrZero(name) : fallback;
    if (port > 65535) {
      throw new ConfigException(name + " must be a TCP port (0 picks a free one), was " + port);
    }
    return (int) port;
  }

  private long positiveLongOrZero(String name) {
    String value = optional(name).orElseThrow();
    try {
      long parsed = Long.parseLong(value);
      if (parsed < 0) {
        throw new ConfigException(name + " must not be negative, was " + value);
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw new ConfigException(name + " must be a number, was '" + value + "'");
    }
  }

  boolean bool(String name, boolean fallback) {
    Optional<String> value = optional(name);
    if (value.isEmpty()) {
      return fallback;
    }
    return switch (value.get().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "1", "on" -> true;
      case "false", "no", "0", "off" -> false;
      default -> throw new ConfigException(name + " must be true or false, was '" + value.get() + "'");
    };
  }

  <E extends Enum<E>> E enumValue(String name, Class<E> type, E fallback) {
    Optional<String> value = optional(name);
    if (value.isEmpty()) {
      return fallback;
    }
    try {
      return Enum.valueOf(type, value.get().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(name + " must be one of " + java.util.Arrays.toString(type.getEnumConstants())
          + ", was '" + value.get() + "'");
    }
  }
}
