package io.traceline.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.traceline.platform.http.Problem.FieldError;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Problem details: field errors and trace ids")
class ProblemResponderTest {

  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

  @Nested
  @DisplayName("the platform at capacity")
  class Overload {

    @Test
    @DisplayName("a full connection-pool wait queue or a pool timeout is a 503 'busy' (retry shortly), not an internal error; other failures are not")
    void poolExhaustionIsBusy() {
      Problem full = ProblemResponder.overload(new io.vertx.core.http.ConnectionPoolTooBusyException(
          "Connection pool reached max wait queue size of 32"));
      Problem timeout = ProblemResponder.overload(new io.vertx.core.VertxException("Timeout waiting for connection"));

      assertThat(full.status()).isEqualTo(503);
      assertThat(full.toJson("/x", TRACE_ID).getString("type")).endsWith("/busy");
      assertThat(timeout.status()).isEqualTo(503);
      assertThat(ProblemResponder.overload(new io.vertx.core.VertxException("Connection refused"))).isNull();
      assertThat(ProblemResponder.overload(new IllegalStateException("boom"))).isNull();
    }
  }

  @Nested
  @DisplayName("collapsing the schema validator's errors to one list of fields")
  class MostSpecificPerField {

    @Test
    @DisplayName("a field's specific messages replace the wrappers reported for the same field")
    void specificBeatsWrapper() {
      List<FieldError> result = ProblemResponder.mostSpecificPerField(List.of(
          new FieldError("/slug", "Property \"slug\" does not match schema"),
          new FieldError("/slug", "String does not match pattern ^[a-z][a-z0-9_]{2,39}$"),
          new FieldError("/slug", "A subschema had errors")));

      assertThat(result).containsExactly(new FieldError("/slug", "String does not match pattern ^[a-z][a-z0-9_]{2,39}$"));
    }

    @Test
    @DisplayName("a wrapper on an object is dropped when a nested field explains it")
    void wrapperExplainedByChild() {
      List<FieldError> result = ProblemResponder.mostSpecificPerField(List.of(
          new FieldError("/firstAdmin", "Property \"firstAdmin\" does not match schema"),
          new FieldError("/firstAdmin/email", "String is too long (254 characters maximum)")));

      assertThat(result).containsExactly(new FieldError("/firstAdmin/email", "String is too long (254 characters maximum)"));
    }

    @Test
    @DisplayName("a field with only an additional-properties note is reported as not a property of the request")
    void unknownProperty() {
      List<FieldError> result = ProblemResponder.mostSpecificPerField(List.of(
          new FieldError("/extra", "Instance has additional properties")));

      assertThat(result).containsExactly(new FieldError("/extra", "is not a property of this request"));
    }

    @Test
    @DisplayName("a declared field's additional-properties note is dropped when the field has a real error")
    void additionalPropertiesNoteOnDeclaredField() {
      List<FieldError> result = ProblemResponder.mostSpecificPerField(List.of(
          new FieldError("/displayName", "Instance has additional properties"),
          new FieldError("/displayName", "String is too short (1 characters minimum)")));

      assertThat(result).containsExactly(new FieldError("/displayName", "String is too short (1 characters minimum)"));
    }

    @Test
    @DisplayName("a field with only a wrapper and nothing nested keeps the wrapper rather than vanishing")
    void loneWrapperKept() {
      List<FieldError> result = ProblemResponder.mostSpecificPerField(List.of(
          new FieldError("/role", "Property \"role\" does not match schema")));

      assertThat(result).containsExactly(new FieldError("/role", "Property \"role\" does not match schema"));
    }

    @Test
    @DisplayName("a sibling whose name merely starts like another field does not explain it away")
    void prefixIsNotNesting() {
      List<FieldError> result = ProblemResponder.mostSpecificPerField(List.of(
          new FieldError("/name", "Property \"name\" does not match schema"),
          new FieldError("/nameSuffix", "String is too long")));

      assertThat(result).extracting(FieldError::pointer).containsExactly("/name", "/nameSuffix");
    }

    @Test
    @DisplayName("repeated messages appear once; fields keep the order of their first error")
    void distinctAndOrdered() {
      List<FieldError> result = ProblemResponder.mostSpecificPerField(List.of(
          new FieldError("/reason", "String is too short (3 characters minimum)"),
          new FieldError("/role", "Value is not one of the allowed values"),
          new FieldError("/reason", "String is too short (3 characters minimum)"),
          new FieldError("/role", "Instance is not a string")));

      assertThat(result).containsExactly(
          new FieldError("/reason", "String is too short (3 characters minimum)"),
          new FieldError("/role", "Value is not one of the allowed values"),
          new FieldError("/role", "Instance is not a string"));
    }

    @Test
    @DisplayName("no errors collapse to no errors")
    void empty() {
      assertThat(ProblemResponder.mostSpecificPerField(List.of())).isEmpty();
    }
  }

  @Nested
  @DisplayName("the trace id of a request")
  class IncomingTraceId {

    @Test
    @DisplayName("is the trace id of a valid W3C traceparent header, surrounding blanks ignored")
    void fromTraceparent() {
      assertThat(RequestTracing.incomingTraceId("00-" + TRACE_ID + "-00f067aa0ba902b7-01")).isEqualTo(TRACE_ID);
      assertThat(RequestTracing.incomingTraceId("  00-" + TRACE_ID + "-00f067aa0ba902b7-00 ")).isEqualTo(TRACE_ID);
    }

    @ParameterizedTest(name = "traceparent \"{0}\"")
    @DisplayName("is a fresh random id when the traceparent is absent, malformed or the invalid all-zero id")
    @NullSource
    @ValueSource(strings = {
        "",
        "garbage",
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b-01",
        "00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01",
        "4bf92f3577b34da6a3ce929d0e0e4736",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\n00-ffffffffffffffffffffffffffffffff-00f067aa0ba902b7-01x"
    })
    void freshWhenInvalid(String traceparent) {
      String first = RequestTracing.incomingTraceId(traceparent);
      String second = RequestTracing.incomingTraceId(traceparent);

      assertThat(first).matches("[0-9a-f]{32}").isNotEqualTo("0".repeat(32)).isNotEqualTo(TRACE_ID);
      assertThat(second).matches("[0-9a-f]{32}").isNotEqualTo(first);
    }
  }
}
