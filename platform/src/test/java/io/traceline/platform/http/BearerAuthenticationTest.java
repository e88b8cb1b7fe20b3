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
 * library is wrapped only to count how often it was asked to verify. A local server stands for the realm's
 * introspection and userinfo endpoints, to count whether a forged token reaches them. The client is the JDK's, called
 * from the test thread.
 */
@DisplayName("Bearer tokens: verified once and remembered until they expire, never beyond; forged, expired or foreign-audience tokens refused every time")
class BearerAuthenticationTest {

  private static final String AUDIENCE = "traceline-api";

  private static Vertx vertx;
  private static HttpServer server;
  private static HttpClient client;
  private static JWT signer;
  private static JWT forger;
  private static final AtomicInteger verifications = new AtomicInteger();
  private static final AtomicInteger realmCalls = new AtomicInteger();
  private static HttpServer realm;
  private static OAuth2Options verifierOptions;
  private static KeyPair keys;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    keys = rsa();
    signer = new JWT().addJWK(new JWK(pem("PRIVATE KEY", keys.getPrivate().getEncoded())));
    forger = new JWT().addJWK(new JWK(pem("PRIVATE KEY", rsa().getPrivate().getEncoded())));
    // The realm's introspection and userinfo endpoints, as discovery fills them in: each call counted.
    Router realmEndpoints = Router.router(vertx);
    realmEndpoints.route().handler(rc -> {
      realmCalls.incrementAndGet();
      rc.response().setStatusCode(401).end();
    });
    realm = await(vertx.createHttpServer().requestHandler(realmEndpoints).listen(0));
    verifierOptions = realmOptions(keys);
    OAuth2Auth verifier = OAuth2Auth.create(vertx, verifierOptions);
    BearerAuthentication.verifyLocallyOnly(verifierOptions);
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
    String token = token(signer, "kiosk-1", AUDIENCE, 300);
    int before = verifications.get();
    for (int i = 0; i < 1000; i++) {
      assertThat(call(token)).isEqualTo("200 kiosk-1");
    }
    assertThat(verifications.get() - before).isEqualTo(1);
    assertThat(call(token(signer, "kiosk-2", AUDIENCE, 300))).isEqualTo("200 kiosk-2");
    assertThat(verifications.get() - before).isEqualTo(2);
  }

  @Test
  @DisplayName("a remembered token stops working when it expires")
  void neverBeyondExpiry() throws Exception {
    String token = token(signer, "short-lived", AUDIENCE, 2);
    assertThat(call(token)).isEqualTo("200 short-lived");
    assertThat(call(token)).isEqualTo("200 short-lived");
    Thread.sleep(3_100);
    assertThat(call(token)).isEqualTo("401 ");
  }

  @Test
  @DisplayName("a forged token, an expired one and one for another audience are refused, and asked about again each time (a refusal is never remembered)")
  void refusalsAreNotRemembered() throws Exception {
    for (String token : List.of(token(forger, "mallory", AUDIENCE, 300), token(signer, "late", AUDIENCE, -60),
        token(signer, "elsewhere", "admin-cli", 300))) {
      int before = verifications.get();
      assertThat(call(token)).isEqualTo("401 ");
      assertThat(call(token)).isEqualTo("401 ");
      assertThat(verifications.get() - before).as(token).isEqualTo(2);
    }
  }

  @Test
  @DisplayName("a token the keys cannot verify never reaches the realm's introspection or userinfo endpoint (the library's fallback is off); without that, each forged request would call the realm")
  void forgedTokensStayLocal() throws Exception {
    int before = realmCalls.get();
    for (String token : List.of(token(forger, "mallory", AUDIENCE, 300), "not-a-jwt-at-all", "a.b.c")) {
      assertThat(call(token)).isEqualTo("401 ");
    }
    assertThat(realmCalls.get() - before).isZero();

    // The same library left as discovery configures it asks the realm about the forged token.
    OAuth2Auth unguarded = OAuth2Auth.create(vertx, realmOptions(keys));
    Throwable refused = unguarded.authenticate(new io.vertx.ext.auth.authentication.TokenCredentials(
        token(forger, "mallory", AUDIENCE, 300))).toCompletionStage().toCompletableFuture()
        .handle((user, failure) -> failure).get(30, TimeUnit.SECONDS);
    assertThat(refused).isNotNull();
    assertThat(realmCalls.get() - before).isPositive();
  }

  /** Options as discovery leaves them: the realm's site with its introspection and userinfo paths, its key. */
  private static OAuth2Options realmOptions(KeyPair keys) {
    return new OAuth2Options().setClientId(AUDIENCE).setSite("http://127.0.0.1:" + realm.actualPort())
        .setIntrospectionPath("/introspect").setUserInfoPath("/userinfo")
        .addPubSecKey(pem("PUBLIC KEY", keys.getPublic().getEncoded()))
        .setJWTOptions(new JWTOptions().setAudience(List.of(AUDIENCE)).setLeeway(0));
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
