package io.traceline.platform.http;

/**
 * What the tenant gate learnt while admitting a request, from the admission's one lookup: whether the caller's reads
 * are to be recorded in the audit trail (they hold the auditor role: every access of an auditor is audited, RPT
 * issue 9 item 7). Kept on the routing context for the handlers after the gate.
 */
public record Admitted(boolean accessAudited) {

  public static final String KEY = "traceline.admitted";
  public static final Admitted PLAIN = new Admitted(false);
}
