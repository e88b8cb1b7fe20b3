package io.traceline.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.Validator;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The router's contract builds each schema's validator once, and validates as before")
class ValidatorCachingContractTest {

  private static Vertx vertx;
  private static OpenAPIContract contract;

  @BeforeAll
  static void load() throws Exception {
    vertx = Vertx.vertx();
    contract = ApiContract.load(vertx).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  @AfterAll
  static void close() {
    vertx.close();
  }

  private static Parameter parameter(String operationId, String name) {
    Operation operation = contract.operation(operationId);
    return operation.getParameters().stream().filter(p -> p.getName().equals(name)).findFirst().orElseThrow();
  }

  @Test
  @DisplayName("the same parameter schema gets the same validator on every request; another schema its own")
  void oneValidatorPerSchema() {
    assertThat(contract).isInstanceOf(ValidatorCachingContract.class);
    JsonSchema person = parameter("checkQualification", "person").getSchema();
    Validator first = contract.getSchemaRepository().validator(person);
    assertThat(contract.getSchemaRepository().validator(person)).isSameAs(first);
    JsonSchema document = parameter("checkQualification", "document").getSchema();
    assertThat(contract.getSchemaRepository().validator(document)).isNotSameAs(first);
    // A body schema too.
    JsonSchema body = contract.operation("createClassroomSession").getRequestBody().getContent().get("application/json")
        .getSchema();
    assertThat(contract.getSchemaRepository().validator(body)).isSameAs(contract.getSchemaRepository().validator(body));
  }

  @Test
  @DisplayName("a remembered validator still refuses what the contract refuses, and accepts what it accepts")
  void validatesAsBefore() {
    Validator person = contract.getSchemaRepository().validator(parameter("checkQualification", "person").getSchema());
    assertThat(person.validate("QC-LENA").getValid()).isTrue();
    assertThat(person.validate("").getValid()).isFalse();
    assertThat(person.validate("x".repeat(101)).getValid()).isFalse();
    assertThat(person.validate("QC-LENA").getValid()).as("after refusals, the same validator accepts again").isTrue();
  }
}
