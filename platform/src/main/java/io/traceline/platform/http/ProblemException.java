package io.traceline.platform.http;

import java.util.List;

/**
 * Thrown (or failed with) by handlers and services to answer with a problem. The failure handler turns
 * it into the response; nothing else needs to know about HTTP status codes.
 */
public final class ProblemException extends RuntimeException {

  private final transient Problem problem;

  public ProblemException(Problem problem) {
    super(problem.title() + (problem.detail() == null ? "" : ": " + problem.detail()), null, false, false);
    this.problem = problem;
  }

  public Problem problem() {
    return problem;
  }

  public static ProblemException badRequest(String detail, List<Problem.FieldError> errors) {
    return new ProblemException(Problem.of(400, "bad-request", "The request is not valid", detail).withErrors(errors));
  }

  public static ProblemException unauthorized(String detail) {
    return new ProblemException(Problem.of(401, "unauthorized", "Authentication required", detail));
  }

  public static ProblemException forbidden(String detail) {
    return new ProblemException(Problem.of(403, "forbidden", "Not allowed", detail));
  }

  public static ProblemException notFound(String detail) {
    return new ProblemException(Problem.of(404, "not-found", "Not found", detail));
  }

  public static ProblemException conflict(String detail) {
    return new ProblemException(Problem.of(409, "conflict", "Conflict with the current state", detail));
  }

  public static ProblemException preconditionFailed(String detail) {
    return new ProblemException(Problem.of(412, "precondition-failed", "The record changed since you read it", detail));
  }

  public static ProblemException preconditionRequired(String detail) {
    return new ProblemException(Problem.of(428, "precondition-required", "If-Match required", detail));
  }

  public static ProblemException unprocessable(String detail, List<Problem.FieldError> errors) {
    return new ProblemException(Problem.of(422, "unprocessable", "The request breaks a rule", detail).withErrors(errors));
  }

  public static ProblemException badGateway(String detail) {
    return new ProblemException(Problem.of(502, "dependency-failed", "A service Traceline depends on failed", detail));
  }
}
