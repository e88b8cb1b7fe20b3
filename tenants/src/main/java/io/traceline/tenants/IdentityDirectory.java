package io.traceline.tenants;

import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;

import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.Response;
import org.keycloak.admin.client.CreatedResponseUtil;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.resource.OrganizationResource;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.OrganizationRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

/**
 * The identity provider as the platform needs it: one Keycloak organization per tenant (alias = slug),
 * users and their organization memberships. Every method blocks on HTTP calls to Keycloak's admin API:
 * call them from worker threads only. Every method is idempotent, so a provisioning that stopped
 * half-way can run them again.
 */
public final class IdentityDirectory implements AutoCloseable {

  private static final String PASSWORD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
  private static final int PASSWORD_LENGTH = 20;

  private final Keycloak keycloak;
  private final String realm;
  private final SecureRandom random = new SecureRandom();

  public IdentityDirectory(Keycloak keycloak, String realm) {
    this.keycloak = keycloak;
    this.realm = realm;
  }

  /** The organization whose alias is the slug, created with the display name when absent; returns its id. */
  public String ensureOrganization(TenantSlug slug, String displayName) {
    Optional<String> existing = findOrganization(slug);
    if (existing.isPresent()) {
      return existing.get();
    }
    OrganizationRepresentation organization = new OrganizationRepresentation();
    organization.setAlias(slug.value());
    organization.setName(displayName);
    organization.setEnabled(true);
    try (Response response = realm().organizations().create(organization)) {
      if (response.getStatus() == 409) {
        // Created concurrently (another instance resuming the same tenant): use that one.
        return findOrganization(slug).orElseThrow(() -> new IdentityException(
            "Keycloak reported a conflict for organization " + slug + " but it cannot be found"));
      }
      return CreatedResponseUtil.getCreatedId(response);
    }
  }

  public Optional<String> findOrganization(TenantSlug slug) {
    // Names are free text and may collide; the alias is unique, so match on it.
    return realm().organizations().searchByAttribute("alias:" + slug.value()).stream()
        .filter(org -> slug.value().equals(org.getAlias()))
        .map(OrganizationRepresentation::getId)
        .findFirst()
        .or(() -> realm().organizations().getAll().stream()
            .filter(org -> slug.value().equals(org.getAlias()))
            .map(OrganizationRepresentation::getId)
            .findFirst());
  }

  /**
   * The user with this e-mail, created when absent with a generated temporary password that Keycloak
   * makes them change at first login. A person who already has a login (a consultant, a sponsor in
   * several tenants) keeps it: one login, many tenants.
   */
  public EnsuredUser ensureUser(FirstAdmin admin) {
    Optional<UserRepresentation> existing = findUserByEmail(admin.email());
    if (existing.isPresent()) {
      return new EnsuredUser(existing.get().getId(), existing.get().getUsername(), null);
    }
    String password = generatePassword();
    UserRepresentation user = new UserRepresentation();
    user.setUsername(admin.email().toLowerCase(java.util.Locale.ROOT));
    user.setEmail(admin.email());
    user.setFirstName(admin.givenName());
    user.setLastName(admin.familyName());
    user.setEnabled(true);
    user.setEmailVerified(true);
    CredentialRepresentation credential = new CredentialRepresentation();
    credential.setType(CredentialRepresentation.PASSWORD);
    credential.setValue(password);
    credential.setTemporary(true);
    user.setCredentials(List.of(credential));
    try (Response response = realm().users().create(user)) {
      if (response.getStatus() == 409) {
        UserRepresentation raced = findUserByEmail(admin.email()).orElseThrow(() -> new IdentityException(
            "Keycloak reported a conflict for user " + admin.email() + " but it cannot be found"));
        return new EnsuredUser(raced.getId(), raced.getUsername(), null);
      }
      return new EnsuredUser(CreatedResponseUtil.getCreatedId(response), user.getUsername(), password);
    }
  }

  /** Sets a permanent password (demo and test users only; real users choose their own). */
  public void setPassword(String userId, String password) {
    CredentialRepresentation credential = new CredentialRepresentation();
    credential.setType(CredentialRepresentation.PASSWORD);
    credential.setValue(password);
    credential.setTemporary(false);
    realm().users().get(userId).resetPassword(credential);
  }

  public Optional<UserRepresentation> findUserByEmail(String email) {
    return realm().users().searchByEmail(email, true).stream().findFirst();
  }

  /** The user's printed name and username, or empty when no such user exists. */
  public Optional<UserRepresentation> findUser(String userId) {
    try {
      return Optional.of(realm().users().get(userId).toRepresentation());
    } catch (NotFoundException e) {
      return Optional.empty();
    }
  }

  /**
   * Keycloak's brute-force detection status of the user ({@code disabled}, {@code numFailures}, …): a locked
   * account gets the same "invalid credentials" answer as a wrong password, and only this tells them apart.
   */
  public java.util.Map<String, Object> bruteForceStatus(String userId) {
    return realm().attackDetection().bruteForceUserStatus(userId);
  }

  public void ensureMember(String organizationId, String userId) {
    if (isMember(organizationId, userId)) {
      return;
    }
    try (Response response = organization(organizationId).members().addMember(userId)) {
      if (response.getStatus() >= 300 && response.getStatus() != 409) {
        throw new IdentityException("Keycloak refused to add user " + userId + " to organization "
            + organizationId + ": HTTP " + response.getStatus());
      }
    }
  }

  public boolean isMember(String organizationId, String userId) {
    try {
      organization(organizationId).members().member(userId).toRepresentation();
      return true;
    } catch (NotFoundException e) {
      return false;
    }
  }

  private OrganizationResource organization(String organizationId) {
    return realm().organizations().get(organizationId);
  }

  private RealmResource realm() {
    return keycloak.realm(realm);
  }

  private String generatePassword() {
    StringBuilder password = new StringBuilder(PASSWORD_LENGTH);
    for (int i = 0; i < PASSWORD_LENGTH; i++) {
      password.append(PASSWORD_ALPHABET.charAt(random.nextInt(PASSWORD_ALPHABET.length())));
    }
    return password.toString();
  }

  @Override
  public void close() {
    keycloak.close();
  }

  /** A user that exists now; {@code temporaryPassword} is set only when this call created them. */
  public record EnsuredUser(String id, String username, String temporaryPassword) {
  }

  /** Keycloak answered in a way provisioning cannot continue from. */
  public static final class IdentityException extends RuntimeException {
    public IdentityException(String message) {
      super(message);
    }
  }
}
