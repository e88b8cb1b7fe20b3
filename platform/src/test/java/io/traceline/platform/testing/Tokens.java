package io.traceline.platform.testing;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.vertx.core.json.JsonObject;

/**
 * Gets access tokens from the test Keycloak the way clients do: the password grant of the portal client
 * (enabled in the development realm), and the browser's authorization-code flow with PKCE, including
 * Keycloak's "update password" step for a login created with a temporary password.
 */
public final class Tokens {

  public static final String PORTAL_CLIENT = "traceline-portal";
  private static final Pattern FORM_ACTION = Pattern.compile("<form[^>]*action=\"([^\"]+)\"");
  private static final String REDIRECT_URI = "http://localhost:8080/callback";

  private final String keycloakUrl;
  private final HttpClient client = HttpClient.newHttpClient();

  Tokens(String keycloakUrl) {
    this.keycloakUrl = keycloakUrl;
  }

  /** An access token for every tenant the user belongs to ({@code organization:*}). */
  public String password(String username, String password) {
    return password(PORTAL_CLIENT, username, password, "openid organization:*");
  }

  public String password(String clientId, String username, String password, String scope) {
    JsonObject response = tokenRequest(Map.of("grant_type", "password", "client_id", clientId, "username", username,
        "password", password, "scope", scope));
    if (!response.containsKey("access_token")) {
      throw new IllegalStateException("No token for " + username + ": " + response.encode());
    }
    return response.getString("access_token");
  }

  /**
   * Signs in through Keycloak's login pages as a browser would, choosing {@code newPassword} when Keycloak
   * asks to replace a temporary one, and returns the access token the code exchange yields.
   */
  public String browserLogin(String username, String password, String newPassword) {
    Browser browser = new Browser();
    String verifier = randomUrlSafe(48);
    String authorize = realm() + "/protocol/openid-connect/auth?" + form(Map.of("client_id", PORTAL_CLIENT,
        "redirect_uri", REDIRECT_URI, "response_type", "code", "scope", "openid organization",
        "code_challenge", challenge(verifier), "code_challenge_method", "S256", "state", randomUrlSafe(12)));
    HttpResponse<String> page = browser.send(HttpRequest.newBuilder(URI.create(authorize)).GET());
    // With Organizations enabled Keycloak asks for the username first (identity-first login), then the
    // password, then a new password when the current one is temporary: answer each page it shows.
    for (int step = 0; step < 8; step++) {
      String next = page.headers().firstValue("Location").orElse(null);
      if (page.statusCode() == 302 && next != null && !next.startsWith(REDIRECT_URI)) {
        page = browser.send(HttpRequest.newBuilder(URI.create(next)).GET()); // a step inside Keycloak
        continue;
      }
      if (page.statusCode() != 200) {
        break;
      }
      String html = page.body();
      Map<String, String> fields = new LinkedHashMap<>();
      if (html.contains("kc-passwd-update-form")) {
        fields.put("password-new", newPassword);
        fields.put("password-confirm", newPassword);
      } else {
        if (html.contains("name=\"username\"")) {
          fields.put("username", username);
        }
        if (html.contains("name=\"password\"")) {
          fields.put("password", password);
          fields.put("credentialId", "");
        }
      }
      if (fields.isEmpty()) {
        break;
      }
      page = browser.send(post(action(html), fields));
    }
    HttpResponse<String> last = page;
    String location = last.headers().firstValue("Location").orElseThrow(() ->
        new IllegalStateException("Login of " + username + " did not redirect back (HTTP " + last.statusCode() + "): "
            + last.body().substring(0, Math.min(600, last.body().length()))));
    String code = queryParameter(location, "code");
    JsonObject tokens = tokenRequest(Map.of("grant_type", "authorization_code", "client_id", PORTAL_CLIENT, "code", code,
        "redirect_uri", REDIRECT_URI, "code_verifier", verifier));
    return tokens.getString("access_token");
  }

  /**
   * Just enough of a browser: keeps Keycloak's session cookies. Java's CookieManager drops cookies
   * marked Secure on plain-http localhost, which browsers keep; this jar keeps them.
   */
  private static final class Browser {
    private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final Map<String, String> cookies = new LinkedHashMap<>();

    HttpResponse<String> send(HttpRequest.Builder request) {
      if (!cookies.isEmpty()) {
        request.header("Cookie", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining("; ")));
      }
      HttpResponse<String> response = Tokens.send(client, request.build());
      response.headers().allValues("Set-Cookie").forEach(header -> {
        String pair = header.split(";", 2)[0];
        int equals = pair.indexOf('=');
        if (equals > 0) {
          cookies.put(pair.substring(0, equals).trim(), pair.substring(equals + 1).trim());
        }
      });
      return response;
    }
  }

  private JsonObject tokenRequest(Map<String, String> form) {
    HttpResponse<String> response = send(client, post(realm() + "/protocol/openid-connect/token", form).build());
    return new JsonObject(response.body());
  }

  private String realm() {
    return keycloakUrl + "/realms/" + TestKeycloak.REALM;
  }

  private static String action(String html) {
    Matcher matcher = FORM_ACTION.matcher(html);
    if (!matcher.find()) {
      throw new IllegalStateException("No Keycloak form on the page: " + html.substring(0, Math.min(400, html.length())));
    }
    return matcher.group(1).replace("&amp;", "&");
  }

  private static HttpRequest.Builder post(String url, Map<String, String> form) {
    return HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form(form)));
  }

  private static HttpResponse<String> send(HttpClient client, HttpRequest request) {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String form(Map<String, String> values) {
    return new LinkedHashMap<>(values).entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  private static String queryParameter(String url, String name) {
    for (String pair : URI.create(url).getRawQuery().split("&")) {
      String[] parts = pair.split("=", 2);
      if (parts[0].equals(name)) {
        return java.net.URLDecoder.decode(parts[1], StandardCharsets.UTF_8);
      }
    }
    throw new IllegalStateException("No " + name + " in " + url);
  }

  private static String randomUrlSafe(int bytes) {
    byte[] random = new byte[bytes];
    new SecureRandom().nextBytes(random);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
  }

  private static String challenge(String verifier) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
