package io.traceline.platform;

import java.util.List;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.traceline.platform.access.AccessHandlers;
import io.traceline.platform.access.AccessService;
import io.traceline.platform.cluster.ClusterMember;
import io.traceline.platform.access.RoleCheck;
import io.traceline.platform.access.UserAdmission;
import io.traceline.platform.audit.AuditEvent;
import io.traceline.platform.audit.AuditHandlers;
import io.traceline.platform.audit.AuditService;
import io.traceline.platform.audit.AuditTrail;
import io.traceline.platform.audit.AuditorAccessLog;
import io.traceline.platform.documents.DocumentFeature;
import io.traceline.platform.documents.DocumentHandlers;
import io.traceline.platform.documents.DocumentUploadHandler;
import io.traceline.platform.people.BulkUpsertService;
import io.traceline.platform.people.HoldingService;
import io.traceline.platform.people.PeopleHandlers;
import io.traceline.platform.people.PeopleService;
import io.traceline.platform.people.StructureHandlers;
import io.traceline.platform.people.StructureService;
import io.traceline.platform.records.RecordVersions;
import io.traceline.platform.settings.TenantSettingsHandlers;
import io.traceline.platform.training.TrainingFeature;
import io.traceline.platform.training.TrainingHandlers;
import io.traceline.platform.training.file.TrainingFileHandlers;
import io.traceline.platform.training.file.TrainingFileService;
import io.traceline.platform.training.TrainingTriggers;
import io.traceline.platform.training.CompletionHandlers;
import io.traceline.platform.training.assessment.AssessmentHandlers;
import io.traceline.platform.training.MaterialBankHandlers;
import io.traceline.platform.training.classroom.SessionHandlers;
import io.traceline.platform.training.practical.ObservationHandlers;
import io.traceline.platform.settings.TenantSettingsService;
import io.traceline.platform.signatures.KeycloakCredentials;
import io.traceline.platform.signatures.SignatureHandlers;
import io.traceline.platform.signatures.SignatureService;
import io.traceline.platform.config.Config;
import io.traceline.platform.jobs.JobKind;
import io.traceline.platform.jobs.JobOperatorHandlers;
import io.traceline.platform.jobs.JobQueue;
import io.traceline.platform.jobs.JobRuntime;
import io.traceline.platform.jobs.internal.JobRepository;
import io.traceline.platform.jobs.internal.ProbeJobKind;
import io.traceline.platform.db.Database;
import io.traceline.platform.health.Readiness;
import io.traceline.platform.http.ApiContract;
import io.traceline.platform.http.BearerAuthentication;
import io.traceline.platform.operator.TenantOperatorHandlers;
import io.traceline.tenants.IdentityDirectory;
import io.traceline.tenants.SchemaMigrator;
import io.traceline.tenants.TenantProvisioner;
import io.traceline.tenants.TenantRegistry;
import io.traceline.tenants.TenantScope;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.oauth2.OAuth2Auth;
import io.vertx.ext.auth.oauth2.OAuth2Options;
import io.vertx.ext.auth.oauth2.providers.OpenIDConnectAuth;
import io.vertx.ext.web.client.WebClient;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.sqlclient.Pool;
import org.keycloak.OAuth2Constants;
import org.keycloak.admin.client.KeycloakBuilder;

/**
 * The platform's long-lived parts, built once per process and shared by every HTTP verticle instance:
 * the pool, the tenant machinery, the identity provider's clients, the API contract.
 */
public final class Components {

  final Config config;
  final Vertx vertx;
  final PrometheusMeterRegistry meters;
  final Pool pool;
  final WorkerExecutor workers;
  final IdentityDirectory directory;
  final TenantRegistry registry;
  final TenantScope tenantScope;
  final SchemaMigrator migrator;
  final TenantProvisioner provisioner;
  final WebClient web;
  final Readiness readiness = new Readiness();
  final TenantOperatorHandlers operatorHandlers;
  final ClusterMember member;
  final Pool jobsPool;
  final JobQueue jobQueue;
  final JobOperatorHandlers jobHandlers;
  final List<JobKind> jobKinds;
  final AccessHandlers accessHandlers;
  final AuditTrail auditTrail = new AuditTrail();
  final UserAdmission userAdmission;
  final AuditHandlers auditHandlers;
  final AuditorAccessLog auditorAccess;
  final SignatureHandlers signatureHandlers;
  final TenantSettingsHandlers settingsHandlers;
  final DocumentHandlers documentHandlers;
  final DocumentUploadHandler documentUploads;
  final StructureHandlers structureHandlers;
  final PeopleHandlers peopleHandlers;
  final TrainingHandlers trainingHandlers;
  final CompletionHandlers completionHandlers;
  final MaterialBankHandlers questionBankHandlers;
  final AssessmentHandlers assessmentHandlers;
  final MaterialBankHandlers checklistHandlers;
  final ObservationHandlers observationHandlers;
  final SessionHandlers sessionHandlers;
  final io.traceline.platform.qualifications.QualificationFeature qualifications;
  final TrainingFileHandlers trainingFileHandlers;
  final io.traceline.platform.quality.QualityHandlers qualityHandlers;
  final io.traceline.platform.reports.ReportFeature reports;
  OAuth2Auth oauth2;
  OpenAPIContract contract;

  Components(Config config, Vertx vertx, PrometheusMeterRegistry meters, SchemaMigrator migrator, ClusterMember member) {
    this.config = config;
    this.member = member;
    this.vertx = vertx;
    this.meters = meters;
    this.migrator = migrator;
    this.pool = Database.pool(vertx, config);
    // Blocking work (Liquibase, Keycloak's admin client) runs here, never on an event loop.
    this.workers = vertx.createSharedWorkerExecutor("traceline-blocking", 8);
    this.directory = new IdentityDirectory(KeycloakBuilder.builder()
        .serverUrl(config.keycloakUrl().orElseThrow())
        .realm(config.keycloakRealm())
        .grantType(OAuth2Constants.CLIENT_CREDENTIALS)
        .clientId(config.keycloakAdminClientId())
        .clientSecret(config.keycloakAdminClientSecret())
        .build(), config.keycloakRealm());
    this.registry = new TenantRegistry(pool);
    this.tenantScope = new TenantScope(pool);
    this.provisioner = new TenantProvisioner(registry, migrator, directory, tenantScope, workers,
        (connection, tenant, adminUserId, grantId) -> auditTrail.record(connection, AuditEvent.of(
                new AuditEvent.Actor(tenant.requestedBy(), "Traceline provisioning"), AuditEvent.Source.NONE,
                "role.granted", "role-grant", grantId.toString())
            .withValues(null, new io.vertx.core.json.JsonObject().put("id", grantId.toString()).put("userId", adminUserId)
                .put("userName", tenant.firstAdmin().printedName()).put("role", "tenant-admin"))
            .withReason(TenantProvisioner.FIRST_ADMIN_REASON)).mapEmpty());
    this.web = WebClient.create(vertx);
    this.operatorHandlers = new TenantOperatorHandlers(provisioner, registry);
    int jobConnections = config.cluster().jobsConcurrency() + 2;
    this.jobsPool = Database.pool(vertx, config, "traceline-jobs", jobConnections,
        JobRuntime.APPLICATION_NAME_PREFIX + member.memberId(), JobRuntime.SESSION_SETTINGS);
    this.jobQueue = new JobQueue(member, pool);
    this.jobHandlers = new JobOperatorHandlers(pool, jobQueue, member);
    this.accessHandlers = new AccessHandlers(new AccessService(tenantScope, directory, workers, auditTrail));
    this.userAdmission = new UserAdmission(pool);
    RoleCheck roleCheck = new RoleCheck();
    RecordVersions records = new RecordVersions();
    SignatureService signatures = new SignatureService(tenantScope, records, auditTrail, roleCheck,
        new KeycloakCredentials(web, realmUrl(), config.signingClientId(), config.signingClientSecret()), directory, workers);
    this.signatureHandlers = new SignatureHandlers(signatures);
    this.auditorAccess = new AuditorAccessLog(tenantScope, auditTrail);
    this.auditHandlers = new AuditHandlers(new AuditService(tenantScope, roleCheck, records, signatures));
    this.settingsHandlers = new TenantSettingsHandlers(new TenantSettingsService(tenantScope, records, auditTrail,
        roleCheck, signatures));
    TrainingTriggers trainingTriggers = new TrainingTriggers(jobQueue, config.trainingFanOutChunk());
    // Quality first: document control and training tell it, in their transactions, what it waits for (QE-4, QE-5).
    io.traceline.platform.quality.QualityFeature quality = new io.traceline.platform.quality.QualityFeature(tenantScope,
        auditTrail, roleCheck, jobQueue, records, signatures, config.trainingFanOutChunk());
    this.qualityHandlers = quality.handlers;
    DocumentFeature documents = new DocumentFeature(tenantScope, auditTrail, roleCheck, jobQueue, records, signatures,
        config.documentMaxBytes(), List.of(trainingTriggers, quality.revisionsEffective), quality.revisionCauses);
    TrainingFeature training = new TrainingFeature(tenantScope, auditTrail, roleCheck, jobQueue, records,
        signatures, trainingTriggers, documents.content, List.of(quality.completions));
    this.trainingHandlers = training.handlers;
    this.completionHandlers = training.completionHandlers;
    this.questionBankHandlers = training.questionBankHandlers;
    this.assessmentHandlers = training.assessmentHandlers;
    this.checklistHandlers = training.checklistHandlers;
    this.observationHandlers = training.observationHandlers;
    this.sessionHandlers = training.sessionHandlers;
    this.documentHandlers = documents.handlers;
    this.documentUploads = documents.uploads;
    List<JobKind> kinds = new java.util.ArrayList<>(List.of(new ProbeJobKind(vertx, new JobRepository(), jobQueue, member.memberId())));
    kinds.addAll(documents.jobKinds);
    kinds.addAll(training.jobKinds);
    kinds.addAll(quality.jobKinds);
    this.jobKinds = List.copyOf(kinds);
    this.structureHandlers = new StructureHandlers(new StructureService(tenantScope, auditTrail, roleCheck));
    this.peopleHandlers = new PeopleHandlers(new PeopleService(tenantScope, auditTrail, roleCheck, training.triggers),
        new HoldingService(tenantScope, auditTrail, roleCheck, training.triggers),
        new BulkUpsertService(tenantScope, auditTrail, roleCheck, training.triggers));
    this.qualifications = new io.traceline.platform.qualifications.QualificationFeature(pool, tenantScope, auditTrail,
        roleCheck, userAdmission, meters);
    this.trainingFileHandlers = new TrainingFileHandlers(new TrainingFileService(tenantScope, roleCheck, signatures,
        qualifications.views), workers);
    this.reports = new io.traceline.platform.reports.ReportFeature(tenantScope, roleCheck, auditTrail, workers);
  }

  /** The parts that need I/O to build: the realm's OIDC metadata and keys, and the API contract. */
  Future<Components> load() {
    OAuth2Options options = new OAuth2Options()
        .setSite(realmUrl())
        .setClientId(config.keycloakAudience())
        .setJWTOptions(new JWTOptions().setAudience(List.of(config.keycloakAudience())));
    return OpenIDConnectAuth.discover(vertx, options)
        .compose(auth -> {
          BearerAuthentication.verifyLocallyOnly(options);
          this.oauth2 = auth;
          return ApiContract.load(vertx);
        })
        .map(loaded -> {
          this.contract = loaded;
          return this;
        });
  }

  String realmUrl() {
    return config.keycloakUrl().orElseThrow() + "/realms/" + config.keycloakRealm();
  }

  Future<Void> close() {
    directory.close();
    web.close();
    return workers.close().compose(v -> pool.close()).compose(v -> jobsPool.close());
  }
}
