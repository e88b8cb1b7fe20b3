package io.traceline.tenants;

import java.util.UUID;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;

/**
 * Time-ordered identifiers (UUIDv7): new rows land at the right edge of their primary-key index
 * instead of at random pages, which keeps bulk inserts cheap (see shared/notes/tooling.md).
 */
public final class Ids {

  private static final TimeBasedEpochGenerator GENERATOR = Generators.timeBasedEpochGenerator();

  private Ids() {
  }

  public static UUID newId() {
    return GENERATOR.generate();
  }
}
