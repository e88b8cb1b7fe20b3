package io.traceline.loadtests;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;

/**
 * Plain {@link HttpClient} for the setup before the load (and for token refreshes during it): nothing
 * here is measured, so it stays out of Gatling's statistics.
 */
final class SetupHttp {

    static final ObjectMapper JSON = new ObjectMapper();

    /** Tenant provisioning runs schema creation, Liquibase and Keycloak calls: seconds, not milliseconds. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(2);

    record Response(int status, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("expected JSON, got: " + body, e);
            }
        }
    }

    private final HttpClient client = HttpClient.newBuilder()
            // Plain http: do not let the client try an h2c upgrade on the platform or Keycloak.
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    Response send(HttpRequest request) {
        HttpRequest timed = HttpRequest.newBuilder(request, (name, value) -> true).timeout(REQUEST_TIMEOUT).build();
        try {
            HttpResponse<String> response = client.send(timed, HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + request.method() + " " + request.uri(), e);
        }
    }

    Response get(URI uri, String bearerToken) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "application/json").GET();
        if (bearerToken != null) {
            request.header("Authorization", "Bearer " + bearerToken);
        }
        return send(request.build());
    }

    Response sendJson(String method, URI uri, String bearerToken, Object body) {
        String json;
        try {
            json = JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
        return send(HttpRequest.newBuilder(uri)
                .header("Accept", "application/json")
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + bearerToken)
                .method(method, HttpRequest.BodyPublishers.ofString(json))
                .build());
    }

    /**
     * Polls {@code uri} (no auth) once a second until a response satisfies {@code ready}; connection
     * errors count as "not yet". Never a fixed sleep before the first try (DESIGN.md §7).
     */
    void awaitStatus(URI uri, Predicate<Response> ready, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        String last = "no answer";
        while (true) {
            try {
                Response response = get(uri, null);
                if (ready.test(response)) {
                    return;
                }
                last = "HTTP " + response.status() + " " + abbreviate(response.body());
            } catch (UncheckedIOException e) {
                last = e.getMessage();
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException(uri + " not ready after " + timeout.toSeconds() + " s; last: " + last);
            }
            sleep(Duration.ofSeconds(1));
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting", e);
        }
    }

    static String abbreviate(String body) {
        String oneLine = body == null ? "" : body.replaceAll("\\s+", " ");
        return oneLine.length() <= 300 ? oneLine : oneLine.substring(0, 300) + "…";
    }
}
