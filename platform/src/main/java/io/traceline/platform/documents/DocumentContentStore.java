package io.traceline.platform.documents;

import io.traceline.platform.http.TenantContext;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/**
 * Where controlled files live (DOC-5). Content-addressed: a file is stored under its SHA-256 and never changes, so
 * storing the same file twice is harmless and a version's hash names exactly one content. The embedded default keeps
 * files in the tenant's PostgreSQL schema; an object store (S3, Azure Blob) can implement the same two operations.
 */
public interface DocumentContentStore {

  /** Stores {@code bytes} under {@code sha256} (their SHA-256, lowercase hex); storing it again changes nothing. */
  Future<Void> put(TenantContext tenant, String sha256, Buffer bytes);

  /** The bytes stored under {@code sha256}, or null when there are none. */
  Future<Buffer> get(TenantContext tenant, String sha256);
}
