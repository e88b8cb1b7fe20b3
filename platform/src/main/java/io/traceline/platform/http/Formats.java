package io.traceline.platform.http;

/**
 * The representation a client asked for: the {@code format} parameter when given (the contract lists which a route
 * has), else the first of {@code text/csv} or {@code application/pdf} the {@code Accept} header names ahead of
 * {@code application/json}, else JSON.
 */
public final class Formats {

  private Formats() {
  }

  public static String negotiate(String parameter, String accept) {
    if (parameter != null) {
      return parameter;
    }
    if (accept == null) {
      return "json";
    }
    int json = position(accept, "application/json");
    int csv = position(accept, "text/csv");
    int pdf = position(accept, "application/pdf");
    int first = Math.min(json, Math.min(csv, pdf));
    if (first == Integer.MAX_VALUE || first == json) {
      return "json";
    }
    return first == csv ? "csv" : "pdf";
  }

  private static int position(String accept, String type) {
    int at = accept.indexOf(type);
    return at < 0 ? Integer.MAX_VALUE : at;
  }
}
