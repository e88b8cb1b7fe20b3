package io.traceline.loadtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * One tenant of the fan-out benchmark: its people (written with SQL as the schema owner), the two logins that take a
 * document to effective through the API (an author who is the tenant's first admin, and an approver), and the calls of
 * one revision: create the document, map it to the job role everyone holds, draft a version, upload its file, submit
 * it to the approver (optionally effective at a later time), and the approver's signature that approves it.
 */
final class FanOutTenant {

    static final String JOB_ROLE = "FANOUT-ALL";

    /** A document with its requirement and one version, not yet approved. */
    record Revision(String documentId, String requirementId, String versionId, String versionLabel) {
    }

    private final SetupHttp http;
    private final URI api;
    private final String slug;
    private final String authorId;
    private final PasswordGrant author;
    private final String approverId;
    private final String approverUsername;
    private final String password;
    private final PasswordGrant approver;
    private String organizationId;
    private boolean created;
    private String jobRoleId;

    FanOutTenant(SetupHttp http, URI baseUrl, String slug, String authorId, PasswordGrant author, String approverId,
            String approverUsername, String password, PasswordGrant approver) {
        this.http = http;
        this.api = URI.create(baseUrl + "/api/v1/t/" + slug);
        this.slug = slug;
        this.authorId = authorId;
        this.author = author;
        this.approverId = approverId;
        this.approverUsername = approverUsername;
        this.password = password;
        this.approver = approver;
    }

    /**
     * Provisions (or reuses) the tenant with its own two logins: the author, its first admin, and the approver, a member
     * of its organization only (Keycloak's password check grows slow for a user in a thousand organizations: about 2 s
     * per login at 1,300); then the application roles and {@code people} people holding {@link #JOB_ROLE}.
     */
    static FanOutTenant prepare(PlatformSetup setup, LoadTestSettings settings, SetupHttp http, Connection owner,
            String slug, int people, String password) throws SQLException {
        Instant start = Instant.now();
        String domain = slug.replace("_", "") + ".bench.example";
        String author = "author@" + domain;
        String approver = "approver@" + domain;
        KeycloakAdmin keycloak = setup.keycloakAdmin();
        PlatformSetup.Provisioned provisioned = setup.provisionTenant(slug, "Fan-out " + slug, author, "Fay", "Author");
        String authorId = provisioned.tenant().path("firstAdmin").path("userId").asText("");
        if (authorId.isEmpty()) {
            authorId = keycloak.userIdByEmail(author);
        }
        // The first admin's password is temporary (or an earlier run set it): replace it.
        keycloak.makeUsableWithPassword(authorId, password);
        String approverId = keycloak.ensureUser(approver, "Abe", "Approver", password);
        String organizationId = provisioned.tenant().path("organizationId").asText();
        keycloak.addOrganizationMember(organizationId, approverId);
        String scope = "openid organization:" + slug;
        FanOutTenant tenant = new FanOutTenant(http, settings.baseUrl(), slug, authorId,
                PasswordGrant.user(http, settings.keycloakUrl(), settings.realm(), settings.portalClientId(), author,
                        password, scope),
                approverId, approver, password,
                PasswordGrant.user(http, settings.keycloakUrl(), settings.realm(), settings.portalClientId(), approver,
                        password, scope));
        tenant.organizationId = organizationId;
        tenant.created = provisioned.created();
        tenant.grantRoles();
        long holders = tenant.ensurePeople(owner, people);
        if (holders != people) {
            throw new IllegalStateException(slug + " has " + holders + " people holding " + JOB_ROLE
                    + ", not " + people + ": use another -DsingleTenant / -DtenantPrefix");
        }
        PlatformSetup.log(slug + (tenant.created ? " created" : " reused") + " with " + people + " people in "
                + Duration.between(start, Instant.now()).toMillis() + " ms");
        return tenant;
    }

    String slug() {
        return slug;
    }

    String organizationId() {
        return organizationId;
    }

    String schema() {
        return "t_" + slug;
    }

    /**
     * The application roles the flow needs (the author is tenant-admin from provisioning): document-author for the
     * author, approver for the approver, who also acknowledges the signature policy. Repeatable.
     */
    void grantRoles() {
        grant(authorId, "document-author");
        grant(approverId, "approver");
        String token = approver.accessToken();
        JsonNode policy = http.get(URI.create(api + "/signature-policy"), token).json();
        if (policy.path("acknowledgedAt").isNull() || policy.path("acknowledgedAt").isMissingNode()) {
            ObjectNode body = SetupHttp.JSON.createObjectNode().put("recordType", "signature-policy")
                    .put("recordId", "signature-policy").put("recordVersion", policy.path("version").asInt())
                    .put("meaning", "acknowledged");
            body.set("reauthentication", reauthentication());
            require(http.sendJson("POST", URI.create(api + "/signatures"), token, body), 201,
                    "acknowledging the signature policy in " + slug);
        }
    }

    /** Grants the application role to a member of the tenant (a conflict means it is held already). */
    void grant(String userId, String role) {
        SetupHttp.Response granted = http.sendJson("POST", URI.create(api + "/role-grants"), author.accessToken(),
                SetupHttp.JSON.createObjectNode().put("userId", userId).put("role", role)
                        .put("reason", "Fan-out benchmark: " + role));
        if (granted.status() != 201 && granted.status() != 409) {
            throw new IllegalStateException("granting " + role + " in " + slug + ": HTTP " + granted.status() + " "
                    + SetupHttp.abbreviate(granted.body()));
        }
    }

    /**
     * Brings the tenant to {@code people} active people at one site, all holding the job role {@link #JOB_ROLE} (the
     * people, their department, site and job role written with set-based SQL as the schema owner, not through the
     * API). Adds only what is missing; returns how many people hold the role.
     */
    long ensurePeople(Connection owner, int people) throws SQLException {
        try (Statement sql = owner.createStatement()) {
            sql.execute("SET search_path = " + schema());
            if (holders(sql) == people) {
                return people;
            }
            sql.execute("INSERT INTO site (id, code, name, country, timezone) VALUES (uuid_v7(), 'BENCH', "
                    + "'Benchmark site', 'IE', 'Europe/Dublin') ON CONFLICT (code) DO NOTHING");
            sql.execute("INSERT INTO department (id, site_id, code, name) SELECT uuid_v7(), s.id, 'OPS', 'Operations' "
                    + "FROM site s WHERE s.code = 'BENCH' ON CONFLICT (site_id, code) DO NOTHING");
            sql.execute("INSERT INTO job_role (id, code, name) VALUES (uuid_v7(), '" + JOB_ROLE + "', "
                    + "'Everyone (fan-out benchmark)') ON CONFLICT (code) DO NOTHING");
            sql.execute("INSERT INTO person (id, employee_number, given_name, family_name, email, status, status_since, "
                    + "site_id, department_id, hired_on) SELECT uuid_v7(), 'FO' || lpad(g::text, 7, '0'), 'Given' || g, "
                    + "'Family' || g, 'fo' || g || '@people.example', 'active', date '2025-01-06', s.id, d.id, "
                    + "date '2025-01-06' FROM generate_series(1, " + people + ") g, site s JOIN department d "
                    + "ON d.site_id = s.id AND d.code = 'OPS' WHERE s.code = 'BENCH' "
                    + "ON CONFLICT (employee_number) DO NOTHING");
            sql.execute("INSERT INTO person_job_role (id, person_id, job_role_id, valid_from, start_reason, created_by) "
                    + "SELECT uuid_v7(), p.id, j.id, date '2025-01-06', 'Fan-out benchmark', 'fanout-benchmark' "
                    + "FROM person p, job_role j WHERE j.code = '" + JOB_ROLE + "' AND p.employee_number LIKE 'FO%' "
                    + "AND NOT EXISTS (SELECT 1 FROM person_job_role h WHERE h.person_id = p.id "
                    + "AND h.job_role_id = j.id AND h.valid_to IS NULL)");
            sql.execute("ANALYZE person");
            sql.execute("ANALYZE person_job_role");
            return holders(sql);
        } finally {
            try (Statement sql = owner.createStatement()) {
                sql.execute("RESET search_path");
            }
        }
    }

    /** How many people hold {@link #JOB_ROLE} now (0 when the role does not exist yet); remembers the role's id. */
    private long holders(Statement sql) throws SQLException {
        try (ResultSet role = sql.executeQuery("SELECT j.id, count(h.id) FROM job_role j LEFT JOIN person_job_role h "
                + "ON h.job_role_id = j.id AND h.valid_to IS NULL WHERE j.code = '" + JOB_ROLE + "' GROUP BY j.id")) {
            if (!role.next()) {
                return 0;
            }
            jobRoleId = role.getString(1);
            return role.getLong(2);
        }
    }

    /** A new document mapped to the job role, with a drafted version and its file: ready to submit. */
    Revision draft(String title) {
        return draft(title, SetupHttp.JSON.createObjectNode().put("method", "read-and-acknowledge"));
    }

    /** As {@link #draft(String)}, trained by the method (and its settings, e.g. passScore) in {@code training}. */
    Revision draft(String title, ObjectNode training) {
        String token = author.accessToken();
        JsonNode document = require(http.sendJson("POST", URI.create(api + "/documents"), token,
                SetupHttp.JSON.createObjectNode().put("title", title).put("type", "sop").put("ownerId", authorId)
                        .put("department", "QA").put("riskClass", "medium").put("reviewIntervalMonths", 24)),
                201, "creating a document in " + slug).json();
        String documentId = document.path("id").asText();
        JsonNode requirement = require(http.sendJson("POST", URI.create(api + "/training-requirements"), token,
                training.deepCopy().put("documentId", documentId).put("jobRoleId", jobRoleId)
                        .put("reason", "Benchmark: everyone holding " + JOB_ROLE + " trains on it")),
                201, "mapping the document to " + JOB_ROLE + " in " + slug).json();
        return version(documentId, requirement.path("id").asText(), title);
    }

    /** The next major revision of an effective document (same requirement), drafted with its file: ready to submit. */
    Revision revise(Revision effective, String title) {
        return version(effective.documentId(), effective.requirementId(), title);
    }

    private Revision version(String documentId, String requirementId, String title) {
        String token = author.accessToken();
        JsonNode version = require(http.sendJson("POST", URI.create(api + "/documents/" + documentId + "/versions"), token,
                SetupHttp.JSON.createObjectNode().put("revision", "major").put("changeSummary", "Fan-out benchmark revision")
                        .put("trainingImpact", "full-retraining")),
                201, "drafting a version in " + slug).json();
        Revision revision = new Revision(documentId, requirementId, version.path("id").asText(),
                version.path("version").asText());
        upload(revision, token, ("Procedure " + title + ", version " + revision.versionLabel() + "\n")
                .getBytes(StandardCharsets.UTF_8));
        return revision;
    }

    private void upload(Revision revision, String token, byte[] content) {
        String boundary = "fanout-" + UUID.randomUUID();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"procedure.txt\"\r\n"
                + "Content-Type: text/plain\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[head.length + content.length + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(content, 0, body, head.length, content.length);
        System.arraycopy(tail, 0, body, head.length + content.length, tail.length);
        require(http.send(HttpRequest.newBuilder(URI.create(versionPath(revision) + "/content"))
                .header("Authorization", "Bearer " + token).header("Accept", "application/json")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build()), 200, "uploading the file in " + slug);
    }

    /** Submits the version to the approver; effective when approved, or at {@code effectiveAt} when not null. */
    void submit(Revision revision, Instant effectiveAt) {
        ObjectNode body = SetupHttp.JSON.createObjectNode().put("action", "submit");
        ObjectNode route = body.putObject("route").put("order", "sequential");
        route.putArray("reviewers");
        route.putArray("approvers").add(approverId);
        if (effectiveAt != null) {
            body.put("effectiveAt", effectiveAt.toString());
        }
        require(http.sendJson("POST", URI.create(versionPath(revision) + "/transitions"), author.accessToken(), body), 200,
                "submitting the version in " + slug);
    }

    /** The approver's signature (password re-entered): the last step of the route, so the version is approved. */
    JsonNode approve(Revision revision) {
        ObjectNode body = SetupHttp.JSON.createObjectNode().put("meaning", "approved");
        body.set("reauthentication", reauthentication());
        return require(http.sendJson("POST", URI.create(versionPath(revision) + "/signatures"), approver.accessToken(), body),
                201, "approving the version in " + slug).json();
    }

    private ObjectNode reauthentication() {
        return SetupHttp.JSON.createObjectNode().put("method", "password").put("username", approverUsername)
                .put("password", password);
    }

    /** The author's token (document-author and the tenant's first admin). */
    String authorToken() {
        return author.accessToken();
    }

    String versionPath(Revision revision) {
        return api + "/documents/" + revision.documentId() + "/versions/" + revision.versionId();
    }

    static SetupHttp.Response require(SetupHttp.Response response, int status, String what) {
        if (response.status() != status) {
            throw new IllegalStateException(what + ": HTTP " + response.status() + " "
                    + SetupHttp.abbreviate(response.body()));
        }
        return response;
    }
}
