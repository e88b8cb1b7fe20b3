package io.traceline.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.lang.reflect.Proxy;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.impl.jose.JWK;
import io.vertx.ext.auth.impl.jose.JWT;
import io.vertx.ext.auth.oauth2.OAuth2Auth;
import io.vertx.ext.auth.oauth2.OAuth2Options;
import io.vertx.ext.web.Router;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The bearer check against real RS256 tokens and the library's real verification (keys made here, as a realm publishes
 * them): a verified token is remembered until it expires, never beyond, and a refused one is never remembered. The
 * library is wrapped only to count how often it was asked to verify. Without a realm to ask, the library must not fall
 * back to token introspection over the network (it does for a token its keys cannot verify): no introspection path.
 * The client is the JDK's, called from the test thread.
 */
@DisplayName("Bearer tokens: verified once and remembered until they expire, never beyond; forged, expired or foreign-audience tokens refused every time")
class BearerAuthenticationTest {

  private static final String AUDIENCE = "traceline-api";

  private static Vertx vertx;
  private static HttpServer server;
  private static HttpClient client;
  private static JWT realm;
  private static JWT forger;
  private static final AtomicInteger verifications = new AtomicInteger();

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    KeyPair keys = rsa();
    realm = new JWT().addJWK(new JWK(pem("PRIVATE KEY", keys.getPrivate().getEncoded())));
    forger = new JWT().addJWK(new JWK(pem("PRIVATE KEY", rsa().getPrivate().getEncoded())));
    OAuth2Auth verifier = OAuth2Auth.create(vertx, new OAuth2Options().setClientId(AUDIENCE).setIntrospectionPath(null)
        .addPubSecKey(pem("PUBLIC KEY", keys.getPublic().getEncoded()))
        .setJWTOptions(new JWTOptions().setAudience(List.of(AUDIENCE)).setLeeway(0)));
    OAuth2Auth counted = (OAuth2Auth) Proxy.newProxyInstance(OAuth2Auth.class.getClassLoader(),
        new Class<?>[] {OAuth2Auth.class}, (proxy, method, args) -> {
          if (method.getName().equals("authenticate")) {
            verifications.incrementAndGet();
          }
          try {
            return method.invoke(verifier, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
    Router router = Router.router(vertx);
    router.route().handler(new BearerAuthentication(counted, AUDIENCE))
        .handler(rc -> rc.response().end(BearerAuthentication.caller(rc).subject()));
    router.route().failureHandler(rc -> rc.response().setStatusCode(rc.failure() instanceof ProblemException problem
        ? problem.problem().status() : 500).end());
    server = await(vertx.createHttpServer().requestHandler(router).listen(0));
    client = HttpClient.newHttpClient();
  }

  @AfterAll
  static void stop() throws Exception {
    await(vertx.close());
  }

  @Test
  @DisplayName("the same token a thousand times is verified once; another token is verified on its own")
  void rememberedUntilExpiry() throws Exception {
    String token = token(realm, "kiosk-1", AUDIENCE, 300);
    int before = verifications.get();
    for (int i = 0; i < 1000; i++) {
      assertThat(call(token)).isEqualTo("200 kiosk-1");
    }
    assertThat(verifications.get() - before).isEqualTo(1);
    assertThat(call(token(realm, "kiosk-2", AUDIENCE, 300))).isEqualTo("200 kiosk-2");
    assertThat(verifications.get() - before).isEqualTo(2);
  }

  @Test
  @DisplayName("a remembered token stops working when it expires")
  void neverBeyondExpiry() throws Exception {
    String token = token(realm, "short-lived", AUDIENCE, 2);
    assertThat(call(token)).isEqualTo("200 short-lived");
    assertThat(call(token)).isEqualTo("200 short-lived");
    Thread.sleep(3_100);
    assertThat(call(token)).isEqualTo("401 ");
  }

  @Test
  @DisplayName("a forged token, an expired one and one for another audience are refused, and asked about again each time (a refusal is never remembered)")
  void refusalsAreNotRemembered() throws Exception {
    for (String token : List.of(token(forger, "mallory", AUDIENCE, 300), token(realm, "late", AUDIENCE, -60),
        token(realm, "elsewhere", "admin-cli", 300))) {
      int before = verifications.get();
      assertThat(call(token)).isEqualTo("401 ");
      assertThat(call(token)).isEqualTo("401 ");
      assertThat(verifications.get() - before).as(token).isEqualTo(2);
    }
  }

  private static String token(JWT signer, String subject, String audience, long expiresInSeconds) {
    long now = System.currentTimeMillis() / 1000;
    return signer.sign(new JsonObject().put("sub", subject).put("aud", audience).put("iat", now)
        .put("exp", now + expiresInSeconds).put("preferred_username", subject), new JWTOptions().setAlgorithm("RS256"));
  }

  private static String call(String token) throws Exception {
    HttpResponse<String> response = client.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.actualPort() + "/"))
        .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
    return response.statusCode() + " " + response.body();
  }

  private static KeyPair rsa() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    return generator.generateKeyPair();
  }

  private static PubSecKeyOptions pem(String type, byte[] der) {
    return new PubSecKeyOptions().setAlgorithm("RS256").setBuffer("-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder().encodeToString(der) + "\n-----END " + type + "-----\n");
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
