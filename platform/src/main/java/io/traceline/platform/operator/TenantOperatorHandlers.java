package io.traceline.platform.operator;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import io.traceline.platform.http.ApiRequest;
import io.traceline.platform.http.BearerAuthentication;
import io.traceline.platform.http.Problem;
import io.traceline.platform.http.ProblemException;
import io.traceline.platform.http.Responses;
import io.traceline.tenants.FirstAdmin;
import io.traceline.tenants.ProvisioningFailedException;
import io.traceline.tenants.ProvisioningRequest;
import io.traceline.tenants.ProvisioningResult;
import io.traceline.tenants.Tenant;
import io.traceline.tenants.TenantConflictException;
import io.traceline.tenants.TenantProvisioner;
import io.traceline.tenants.TenantRegistry;
import io.traceline.tenants.TenantSlug;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** The operator API: provision tenants and see their state (TEN-1). Requests are admitted by the operator gate. */
public final class TenantOperatorHandlers {

  // Deliberately simple: one @, no spaces, a dot in the domain. Keycloak and the mail server judge the rest.
  private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");

  private final TenantProvisioner provisioner;
  private final TenantRegistry registry;

  public TenantOperatorHandlers(TenantProvisioner provisioner, TenantRegistry registry) {
    this.provisioner = provisioner;
    this.registry = registry;
  }

  public void provision(RoutingContext rc) {
    ProvisioningRequest request = provisioningRequest(ApiRequest.of(rc).body(), BearerAuthentication.caller(rc).subject());
    provisioner.provision(request)
        .onSuccess(result -> {
          if (result.created()) {
            rc.response().putHeader("Location", "/api/v1/operator/tenants/" + result.tenant().slug());
          }
          Responses.json(rc, result.created() ? 201 : 200, toJson(result));
        })
        .onFailure(failure -> rc.fail(translate(failure)));
  }

  public void list(RoutingContext rc) {
    ApiRequest request = ApiRequest.of(rc);
    int limit = request.limit();
    registry.list(request.query("after"), limit + 1)
        .onSuccess(tenants -> {
          boolean more = tenants.size() > limit;
          List<Tenant> page = more ? tenants.subList(0, limit) : tenants;
          JsonArray items = new JsonArray();
          page.forEach(tenant -> items.add(toJson(tenant)));
          Responses.json(rc, 200, new JsonObject().put("items", items)
              .put("next", more ? page.get(page.size() - 1).slug() : null));
        })
        .onFailure(rc::fail);
  }

  public void get(RoutingContext rc) {
    String slug = ApiRequest.of(rc).path("slug");
    registry.find(slug)
        .onSuccess(tenant -> {
          if (tenant == null) {
            rc.fail(ProblemException.notFound("No tenant '" + slug + "'"));
          } else {
            Responses.json(rc, 200, toJson(tenant));
          }
        })
        .onFailure(rc::fail);
  }

  /** The contract checked types and lengths; what it cannot express is checked here, all errors at once. */
  static ProvisioningRequest provisioningRequest(JsonObject body, String requestedBy) {
    List<Problem.FieldError> errors = new ArrayList<>();
    String displayName = body.getString("displayName", "").strip();
    if (displayName.isEmpty()) {
      errors.add(new Problem.FieldError("/displayName", "must not be blank"));
    }
    JsonObject admin = body.getJsonObject("firstAdmin", new JsonObject());
    String email = admin.getString("email", "").strip();
    if (!EMAIL.matcher(email).matches()) {
      errors.add(new Problem.FieldError("/firstAdmin/email", "must be an e-mail address"));
    }
    String given = admin.getString("givenName", "").strip();
    String family = admin.getString("familyName", "").strip();
    if (given.isEmpty()) {
      errors.add(new Problem.FieldError("/firstAdmin/givenName", "must not be blank"));
    }
    if (family.isEmpty()) {
      errors.add(new Problem.FieldError("/firstAdmin/familyName", "must not be blank"));
    }
    String slug = body.getString("slug");
    if (!TenantSlug.isValid(slug)) {
      errors.add(new Problem.FieldError("/slug", "must match " + TenantSlug.PATTERN));
    }
    if (!errors.isEmpty()) {
      throw ProblemException.badRequest("The tenant cannot be provisioned as described", errors);
    }
    return new ProvisioningRequest(new TenantSlug(slug), displayName, new FirstAdmin(email, given, family), requestedBy);
  }

  private static Throwable translate(Throwable failure) {
    if (failure instanceof TenantConflictException conflict) {
      return ProblemException.conflict(conflict.getMessage());
    }
    if (failure instanceof ProvisioningFailedException stopped) {
      return ProblemException.badGateway("Provisioning of '" + stopped.slug() + "' stopped at a failed step; "
          + "it is recorded as failed and repeating the same request resumes it. " + stopped.getMessage());
    }
    return failure;
  }

  private static JsonObject toJson(ProvisioningResult result) {
    JsonObject json = toJson(result.tenant());
    if (result.temporaryPassword() != null) {
      json.put("temporaryPassword", result.temporaryPassword());
    }
    return json;
  }

  static JsonObject toJson(Tenant tenant) {
    return new JsonObject()
        .put("slug", tenant.slug())
        .put("displayName", tenant.displayName())
        .put("state", tenant.state().dbValue())
        .put("step", tenant.step().dbValue())
        .put("organizationId", tenant.organizationId())
        .put("firstAdmin", new JsonObject().put("email", tenant.firstAdmin().email()).put("userId", tenant.adminUserId()))
        .put("lastError", tenant.lastError())
        .put("createdAt", tenant.createdAt().toInstant().toString())
        .put("updatedAt", tenant.updatedAt().toInstant().toString())
        .put("readyAt", tenant.readyAt() == null ? null : tenant.readyAt().toInstant().toString());
  }
}
