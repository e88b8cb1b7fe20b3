package io.traceline.platform;

import java.util.concurrent.TimeUnit;

import io.traceline.platform.documents.DocumentUploadHandler;
import io.traceline.platform.http.ApiContract;
import io.traceline.platform.http.BearerAuthentication;
import io.traceline.platform.http.OperatorGate;
import io.traceline.platform.http.ProblemResponder;
import io.traceline.platform.http.RequestTracing;
import io.traceline.platform.http.TenantGate;
import io.traceline.platform.people.HoldingKind;
import io.traceline.platform.people.PeopleHandlers;
import io.traceline.platform.people.StructureHandlers;
import io.traceline.platform.people.StructureKind;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.micrometer.PrometheusScrapingHandler;

/**
 * Serves HTTP: wires the routers and nothing else. One instance per event loop; all share
 * {@link Components}. The web portal will own {@code /}; the API stays under {@code /api/v1}.
 */
public final class HttpVerticle extends VerticleBase {

  private final Components components;
  private HttpServer server;

  public HttpVerticle(Components components) {
    this.components = components;
  }

  @Override
  public Future<?> start() {
    Router router = router();
    server = vertx.createHttpServer(new HttpServerOptions()
        .setHost(components.config.httpHost())
        .setPort(components.config.httpPort())
        .setCompressionSupported(true));
    return server.requestHandler(router).listen();
  }

  /** Stops accepting connections and lets requests in flight finish, up to the configured grace. */
  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture()
        : server.shutdown(components.config.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS);
  }

  private Router router() {
    ProblemResponder problems = new ProblemResponder(components.contract);
    BearerAuthentication authentication = new BearerAuthentication(components.oauth2, components.config.keycloakAudience());

    RouterBuilder api = RouterBuilder.create(vertx, components.contract, RequestExtractor.withBodyHandler());
    // An auditor's every read is audited before it is answered; reports audit themselves, with their parameters.
    api.getRoutes().forEach(route -> {
      var operation = route.getOperation();
      if (operation.getHttpMethod() == HttpMethod.GET && operation.getOpenAPIPath().startsWith("/t/{tenant}/")
          && !operation.getTags().contains("reports")) {
        route.addHandler(components.auditorAccess.forOperation(operation.getOperationId()));
      }
    });
    api.getRoute("provisionTenant").addHandler(components.operatorHandlers::provision);
    api.getRoute("listTenants").addHandler(components.operatorHandlers::list);
    api.getRoute("getTenant").addHandler(components.operatorHandlers::get);
    api.getRoute("listJobs").addHandler(components.jobHandlers::list);
    api.getRoute("getJob").addHandler(components.jobHandlers::get);
    api.getRoute("retryJob").addHandler(components.jobHandlers::retry);
    api.getRoute("startProbeJob").addHandler(components.jobHandlers::probe);
    api.getRoute("getCluster").addHandler(components.jobHandlers::cluster);
    api.getRoute("getMe").addHandler(components.accessHandlers::me);
    api.getRoute("listRoleGrants").addHandler(components.accessHandlers::list);
    api.getRoute("getRoleGrant").addHandler(components.accessHandlers::get);
    api.getRoute("grantRole").addHandler(components.accessHandlers::grant);
    api.getRoute("revokeRole").addHandler(components.accessHandlers::revoke);
    api.getRoute("listTenantUsers").addHandler(components.accessHandlers::users);
    api.getRoute("deactivateUser").addHandler(components.accessHandlers::deactivate);
    api.getRoute("reactivateUser").addHandler(components.accessHandlers::reactivate);
    api.getRoute("listAuditEvents").addHandler(components.auditHandlers::search);
    api.getRoute("exportAuditTrail").addHandler(components.auditHandlers::export);
    api.getRoute("verifyIntegrity").addHandler(components.auditHandlers::verify);
    api.getRoute("getTenantSettings").addHandler(components.settingsHandlers::get);
    api.getRoute("updateTenantSettings").addHandler(components.settingsHandlers::update);
    api.getRoute("signRecord").addHandler(components.signatureHandlers::sign);
    api.getRoute("listSignatures").addHandler(components.signatureHandlers::list);
    api.getRoute("getSignature").addHandler(components.signatureHandlers::get);
    api.getRoute("listSignatureMeanings").addHandler(components.signatureHandlers::meanings);
    api.getRoute("getSignaturePolicy").addHandler(components.signatureHandlers::policy);
    api.getRoute("listDocuments").addHandler(components.documentHandlers::list);
    api.getRoute("createDocument").addHandler(components.documentHandlers::create);
    api.getRoute("getDocument").addHandler(components.documentHandlers::get);
    api.getRoute("updateDocument").addHandler(components.documentHandlers::update);
    api.getRoute("listDocumentVersions").addHandler(components.documentHandlers::versions);
    api.getRoute("createDocumentVersion").addHandler(components.documentHandlers::createVersion);
    api.getRoute("getDocumentVersion").addHandler(components.documentHandlers::version);
    api.getRoute("getCurrentDocumentVersion").addHandler(components.documentHandlers::current);
    api.getRoute("transitionDocumentVersion").addHandler(components.documentHandlers::transition);
    api.getRoute("signDocumentVersion").addHandler(components.documentHandlers::sign);
    api.getRoute("downloadDocumentContent").addHandler(components.documentHandlers::download);
    api.getRoute("exportDocument").addHandler(components.documentHandlers::export);
    api.getRoute("reviewDocument").addHandler(components.documentHandlers::periodicReview);
    // The upload streams its multipart body itself (see DocumentUploadHandler); the contract documents it.
    api.getRoute("uploadDocumentContent").setDoValidation(false).addHandler(components.documentUploads);
    StructureHandlers structure = components.structureHandlers;
    for (StructureKind kind : StructureKind.values()) {
      api.getRoute("list" + kind.operation() + "s").addHandler(rc -> structure.list(rc, kind));
      api.getRoute("create" + kind.operation()).addHandler(rc -> structure.create(rc, kind));
      api.getRoute("get" + kind.operation()).addHandler(rc -> structure.get(rc, kind));
      api.getRoute("update" + kind.operation()).addHandler(rc -> structure.update(rc, kind));
    }
    api.getRoute("listPeople").addHandler(components.peopleHandlers::list);
    api.getRoute("createPerson").addHandler(components.peopleHandlers::create);
    api.getRoute("getPerson").addHandler(components.peopleHandlers::get);
    api.getRoute("updatePerson").addHandler(components.peopleHandlers::update);
    api.getRoute("changePersonStatus").addHandler(components.peopleHandlers::changeStatus);
    api.getRoute("listPersonJobRoles").addHandler(components.peopleHandlers::listHoldings);
    api.getRoute("assignPersonJobRole").addHandler(components.peopleHandlers::assign);
    api.getRoute("endPersonJobRole").addHandler(components.peopleHandlers::endHolding);
    api.getRoute("listPersonPrograms").addHandler(rc -> components.peopleHandlers.listHoldings(rc, HoldingKind.PROGRAM));
    api.getRoute("joinPersonProgram").addHandler(rc -> components.peopleHandlers.assign(rc, HoldingKind.PROGRAM));
    api.getRoute("endPersonProgram").addHandler(rc -> components.peopleHandlers.endHolding(rc, HoldingKind.PROGRAM));
    api.getRoute("upsertPeople").addHandler(components.peopleHandlers::bulkUpsert);
    api.getRoute("listTrainingRequirements").addHandler(components.trainingHandlers::listRequirements);
    api.getRoute("createTrainingRequirement").addHandler(components.trainingHandlers::createRequirement);
    api.getRoute("getTrainingRequirement").addHandler(components.trainingHandlers::getRequirement);
    api.getRoute("updateTrainingRequirement").addHandler(components.trainingHandlers::updateRequirement);
    api.getRoute("retireTrainingRequirement").addHandler(components.trainingHandlers::retireRequirement);
    api.getRoute("listTrainingAssignments").addHandler(components.trainingHandlers::listAssignments);
    api.getRoute("listDocumentVersionAssignments").addHandler(components.trainingHandlers::versionAssignments);
    api.getRoute("getMyTraining").addHandler(components.trainingHandlers::myTraining);
    api.getRoute("getTeamTraining").addHandler(components.trainingHandlers::teamTraining);
    api.getRoute("getTrainingJob").addHandler(components.trainingHandlers::job);
    api.getRoute("acknowledgeTraining").addHandler(components.trainingHandlers::acknowledge);
    api.getRoute("openTrainingContent").addHandler(components.completionHandlers::openContent);
    api.getRoute("recordLateCompletion").addHandler(components.completionHandlers::recordLate);
    api.getRoute("listTrainingCompletions").addHandler(components.completionHandlers::list);
    api.getRoute("getTrainingCompletion").addHandler(components.completionHandlers::get);
    api.getRoute("getTrainingCertificate").addHandler(components.trainingFileHandlers::certificate);
    api.getRoute("getPersonTrainingFile").addHandler(components.trainingFileHandlers::personFile);
    api.getRoute("getMyTrainingFile").addHandler(components.trainingFileHandlers::myFile);
    api.getRoute("reportDocumentTraining").addHandler(components.reports.handlers::documentTraining);
    api.getRoute("reportCompliance").addHandler(components.reports.handlers::compliance);
    api.getRoute("reportMetric").addHandler(components.reports.handlers::metrics);
    api.getRoute("listAssessmentQuestions").addHandler(components.questionBankHandlers::list);
    api.getRoute("createAssessmentQuestion").addHandler(components.questionBankHandlers::create);
    api.getRoute("getAssessmentQuestion").addHandler(components.questionBankHandlers::get);
    api.getRoute("updateAssessmentQuestion").addHandler(components.questionBankHandlers::update);
    api.getRoute("retireAssessmentQuestion").addHandler(components.questionBankHandlers::retire);
    api.getRoute("carryForwardAssessmentQuestions").addHandler(components.questionBankHandlers::carryForward);
    api.getRoute("startAssessmentAttempt").addHandler(components.assessmentHandlers::start);
    api.getRoute("listMyAssessmentAttempts").addHandler(components.assessmentHandlers::list);
    api.getRoute("getMyAssessmentAttempt").addHandler(components.assessmentHandlers::get);
    api.getRoute("submitAssessmentAttempt").addHandler(components.assessmentHandlers::submit);
    api.getRoute("grantAssessmentAttempts").addHandler(components.assessmentHandlers::grant);
    api.getRoute("getMyTrainingAssignment").addHandler(components.trainingHandlers::myAssignment);
    api.getRoute("listChecklistItems").addHandler(components.checklistHandlers::list);
    api.getRoute("createChecklistItem").addHandler(components.checklistHandlers::create);
    api.getRoute("getChecklistItem").addHandler(components.checklistHandlers::get);
    api.getRoute("updateChecklistItem").addHandler(components.checklistHandlers::update);
    api.getRoute("retireChecklistItem").addHandler(components.checklistHandlers::retire);
    api.getRoute("carryForwardChecklistItems").addHandler(components.checklistHandlers::carryForward);
    api.getRoute("recordObservation").addHandler(components.observationHandlers::record);
    api.getRoute("listObservations").addHandler(components.observationHandlers::list);
    api.getRoute("listMyObservations").addHandler(components.observationHandlers::mine);
    api.getRoute("signObservation").addHandler(components.observationHandlers::sign);
    api.getRoute("declineObservation").addHandler(components.observationHandlers::decline);
    api.getRoute("listClassroomSessions").addHandler(components.sessionHandlers::list);
    api.getRoute("createClassroomSession").addHandler(components.sessionHandlers::create);
    api.getRoute("getClassroomSession").addHandler(components.sessionHandlers::get);
    api.getRoute("updateClassroomSession").addHandler(components.sessionHandlers::update);
    api.getRoute("addClassroomAttendees").addHandler(components.sessionHandlers::addAttendees);
    api.getRoute("markClassroomAttendance").addHandler(components.sessionHandlers::markAttendance);
    api.getRoute("signClassroomSession").addHandler(components.sessionHandlers::sign);
    api.getRoute("confirmClassroomAttendance").addHandler(components.sessionHandlers::confirm);
    io.traceline.platform.qualifications.QualificationHandlers qualifications = components.qualifications.handlers;
    api.getRoute("checkQualification").addHandler(qualifications::check);
    api.getRoute("listPersonQualifications").addHandler(qualifications::personView);
    api.getRoute("listDocumentQualifications").addHandler(qualifications::documentView);
    api.getRoute("grantQualification").addHandler(qualifications::grant);
    api.getRoute("listQualifications").addHandler(qualifications::list);
    api.getRoute("getQualification").addHandler(qualifications::get);
    api.getRoute("updateQualification").addHandler(qualifications::update);
    api.getRoute("revokeQualification").addHandler(qualifications::revoke);
    io.traceline.platform.quality.QualityHandlers quality = components.qualityHandlers;
    api.getRoute("listQualityEvents").addHandler(quality::listEvents);
    api.getRoute("createQualityEvent").addHandler(quality::createEvent);
    api.getRoute("getQualityEvent").addHandler(quality::getEvent);
    api.getRoute("transitionQualityEvent").addHandler(quality::transitionEvent);
    api.getRoute("signQualityEvent").addHandler(quality::signEvent);
    api.getRoute("linkQualityEventRevision").addHandler(quality::linkEventRevision);
    api.getRoute("listCapas").addHandler(quality::listCapas);
    api.getRoute("createCapa").addHandler(quality::createCapa);
    api.getRoute("getCapa").addHandler(quality::getCapa);
    api.getRoute("recordCapaRootCause").addHandler(quality::recordRootCause);
    api.getRoute("createCapaAction").addHandler(quality::createAction);
    api.getRoute("getCapaAction").addHandler(quality::getAction);
    api.getRoute("completeCapaAction").addHandler(quality::completeAction);
    api.getRoute("cancelCapaAction").addHandler(quality::cancelAction);
    api.getRoute("closeCapa").addHandler(quality::closeCapa);
    api.getRoute("checkCapaEffectiveness").addHandler(quality::checkEffectiveness);
    // Authentication and the tenant wall (the main router's gates) run before contract validation, so a stranger learns
    // nothing from validation errors; the contract's security scheme documents them for clients.
    api.getRoutes().forEach(route -> route.setDoSecurity(false));
    Router apiRouter = api.createRouter();
    apiRouter.route().failureHandler(problems);

    Router router = Router.router(vertx);
    router.route().handler(new RequestTracing());
    // The people bulk upsert carries thousands of rows: a larger body there (the first body handler that runs reads it).
    router.route(PeopleHandlers.BULK_PATH).handler(BodyHandler.create(false)
        .setBodyLimit(Math.max(PeopleHandlers.BULK_BODY_LIMIT, components.config.httpBodyLimit())));
    router.put(DocumentUploadHandler.PATH).handler(DocumentUploadHandler::holdBody);
    BodyHandler body = BodyHandler.create(false).setBodyLimit(components.config.httpBodyLimit());
    router.route("/api/v1/*").handler(rc -> {
      if (rc.get(DocumentUploadHandler.STREAMED_BODY) != null) {
        rc.next();
      } else {
        body.handle(rc);
      }
    });
    router.route("/api/v1/operator/*").handler(authentication).handler(new OperatorGate());
    // The point-of-use check reads the caller's admission in its one statement (QualificationCheckService).
    router.route("/api/v1/t/:tenant/*").handler(authentication).handler(new TenantGate(components.registry,
        components.userAdmission::admit, rc -> rc.request().method() == HttpMethod.GET
            && rc.normalizedPath().endsWith("/qualification-checks")));
    // The contract's paths are relative to its server URL, /api/v1.
    router.route("/api/v1/*").subRouter(apiRouter);

    HealthChecks live = HealthChecks.create(vertx).register("event-loop", promise -> promise.complete(Status.OK()));
    router.get("/health/live").handler(HealthCheckHandler.createWithHealthChecks(live));
    router.get("/health/ready").handler(HealthCheckHandler.createWithHealthChecks(
        components.readiness.checks(vertx, components.pool, components.web, components.realmUrl())));
    router.get("/metrics").handler(PrometheusScrapingHandler.create(components.meters));
    router.get("/api/v1/openapi.yaml").handler(rc -> rc.response()
        .putHeader("Content-Type", "application/yaml").sendFile(ApiContract.RESOURCE));

    router.route().failureHandler(problems);
    router.errorHandler(404, problems);
    router.errorHandler(405, problems);
    router.errorHandler(500, problems);
    return router;
  }
}
