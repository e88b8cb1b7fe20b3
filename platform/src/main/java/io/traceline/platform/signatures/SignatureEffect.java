package io.traceline.platform.signatures;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;

/**
 * What a signature does in the workflow it belongs to (a review step, an approval). {@link #check} runs before the
 * signer's credentials are checked, so a signature that could not take effect costs no password attempt;
 * {@link #apply} runs in the transaction that stores the signature, so the signature and its effect commit
 * together or not at all.
 */
public interface SignatureEffect {

  /** A signature that is only a signature (the generic endpoint). */
  SignatureEffect NONE = new SignatureEffect() {
    @Override
    public Future<Void> check(SqlConnection connection) {
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> apply(SqlConnection connection, Signature signature) {
      return Future.succeededFuture();
    }
  };

  /** Fails with a problem when the workflow would not accept this signature now. */
  Future<Void> check(SqlConnection connection);

  /** Applies the signature to the workflow, in the signature's transaction; a failure undoes the signature. */
  Future<Void> apply(SqlConnection connection, Signature signature);
}
