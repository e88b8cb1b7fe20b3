package io.traceline.platform.people;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;

import io.traceline.platform.http.Problem;
import io.traceline.platform.http.ProblemException;

/**
 * The calendar dates of people data (hire, status changes, role holdings): ISO dates, days in UTC. A status change
 * takes effect today or on a past date; scheduling one for later is not supported (yet).
 */
final class PeopleDates {

  private PeopleDates() {
  }

  static LocalDate today() {
    return LocalDate.now(ZoneOffset.UTC);
  }

  /** The date {@code value} names, {@code orElse} when it is null; a 422 problem at {@code pointer} when it is no date. */
  static LocalDate parse(String value, String pointer, LocalDate orElse) {
    if (value == null) {
      return orElse;
    }
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw ProblemException.unprocessable("Not a date: " + value,
          List.of(new Problem.FieldError(pointer, "a date such as 2026-03-31")));
    }
  }

  /** {@code date}, unless it is after today: then a 422 problem at {@code pointer}. */
  static LocalDate notLater(LocalDate date, String pointer) {
    if (date.isAfter(today())) {
      throw ProblemException.unprocessable("A status change takes effect today or on a past date",
          List.of(new Problem.FieldError(pointer, "after today (" + today() + ")")));
    }
    return date;
  }
}
