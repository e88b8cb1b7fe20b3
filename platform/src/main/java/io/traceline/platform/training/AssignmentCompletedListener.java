package io.traceline.platform.training;

import java.util.UUID;

import io.traceline.platform.audit.AuditEvent;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;

/**
 * Told, in the transaction that completes an assignment (after its completion record and audit event), that it did:
 * whatever waits for training — a CAPA's training action (QE-4) — decides there, so it commits with the completion or
 * not at all, whichever completion path ran (acknowledgement, passed assessment, late entry).
 */
public interface AssignmentCompletedListener {

  Future<Void> assignmentCompleted(SqlConnection connection, String tenant, AuditEvent.Actor actor,
                                   AuditEvent.Source source, UUID assignmentId);
}
