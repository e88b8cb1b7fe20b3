package io.traceline.platform.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.traceline.platform.audit.AuditEvent;
import io.traceline.platform.audit.AuditTrail;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * Question banks for the demo documents trained by assessment (high-risk laboratory, quality, engineering, validation,
 * warehouse and EHS procedures), so the demo's learners can take them: five questions per effective version — which
 * version to work to, what to do when a step cannot be followed, how to correct a record, how the procedure changes,
 * and a scenario from the document's department. Imported like the rest of the demo's history: one audit event per bank.
 */
final class DemoQuestionBanks {

  /** A scenario per department: case text, prompt, the right answer, three wrong ones. */
  private static final Map<String, String[]> SCENARIOS = Map.of(
      "FIL", new String[] {"Working in Grade A under %s, you notice your glove touched the outside of a stopper bowl "
          + "lid, then the filling needles' guard.", "What do you do?",
          "Stop, do not touch the product path again, tell the line lead and follow the intervention procedure: the "
              + "event is recorded and assessed", "Spray the glove with disinfectant and carry on",
          "Carry on: a glove touch is not product contact", "Change the glove at the next break"},
      "MFG", new String[] {"During a step under %s, the bioreactor's temperature runs 0.8 °C above its range for "
          + "twelve minutes before the alarm is acknowledged.", "What happens next?",
          "Record the excursion with times and values, inform the supervisor and QA, and raise a deviation for "
              + "impact assessment", "Lower the set point and say nothing: it is back in range",
          "Note it in the logbook only", "Adjust the recorded values to the range"},
      "QC", new String[] {"While you run a test under %s, the result for one sample falls outside its specification. The "
          + "instrument passed its system suitability this morning.", "What do you do first?",
          "Keep the sample and the preparations, record the result as obtained and tell your supervisor, who opens an "
              + "out-of-specification investigation", "Re-test the sample until a result passes and report that one",
          "Average the failing result with two passing re-tests", "Discard the sample preparation and start again"},
      "QA", new String[] {"Reviewing a batch record against %s, you find a critical step signed by an operator whose "
          + "training on the current version is still open.", "How do you treat the batch record?",
          "Raise a deviation, assess the impact on the batch before disposition, and check the operator's training file",
          "Ask the operator to sign the training today and release the batch", "Sign the step yourself",
          "Ignore it: the operator was trained on the previous version"},
      "ENG", new String[] {"During maintenance under %s you find the replacement part from stores is not the part number "
          + "the procedure names, though it looks identical.", "What do you do?",
          "Stop, tag the equipment out of service and raise it with engineering through change control or a deviation",
          "Fit it: it looks identical", "Fit it and note the difference later", "Borrow the right part from the other line"},
      "VAL", new String[] {"Executing a protocol under %s, one acceptance criterion fails during the run.",
          "How is the failure handled?",
          "Record it as it happened, stop where the protocol says, and raise a protocol deviation for assessment",
          "Adjust the acceptance criterion in the protocol to match the result", "Repeat the run and report only the "
              + "passing one", "Finish the protocol and mention it in the summary only"},
      "WHS", new String[] {"Receiving goods under %s, a pallet of raw material arrives with a damaged label and a torn "
          + "outer wrap.", "What happens to the pallet?",
          "Put it on hold in quarantine, record the damage and inform QA before it is used",
          "Relabel it from the delivery note and release it", "Use it first so it does not sit in the warehouse",
          "Send it back without recording anything"},
      "EHS", new String[] {"During work under %s a colleague is splashed with a chemical in the eye.",
          "What do you do first?",
          "Take them to the nearest eyewash at once, rinse for at least 15 minutes and raise the alarm",
          "Look up the safety data sheet before doing anything", "Wipe the eye with a dry cloth",
          "Finish the step you are on, then help"});

  private final AuditTrail audit;

  DemoQuestionBanks(AuditTrail audit) {
    this.audit = audit;
  }

  /** Gives every effective version of a document trained by assessment a bank of five questions, unless it has one. */
  Future<Void> seed(SqlConnection connection) {
    return connection.query("SELECT d.id AS document_id, d.number, d.title, d.department, v.id AS version_id, "
            + "v.major, v.minor FROM document d JOIN document_version v ON v.document_id = d.id AND v.state = 'effective' "
            + "WHERE EXISTS (SELECT 1 FROM training_requirement r WHERE r.document_id = d.id AND r.active "
            + "AND r.method = 'assessment') "
            + "AND NOT EXISTS (SELECT 1 FROM assessment_question q WHERE q.version_id = v.id) ORDER BY d.number").execute()
        .compose(rows -> {
          List<Row> versions = new ArrayList<>();
          rows.forEach(versions::add);
          Future<Void> chain = Future.succeededFuture();
          for (Row version : versions) {
            chain = chain.compose(v -> bank(connection, version));
          }
          return chain;
        });
  }

  private Future<Void> bank(SqlConnection connection, Row version) {
    String number = version.getString("number");
    String title = version.getString("title");
    String label = version.getInteger("major") + "." + version.getInteger("minor");
    List<JsonObject> questions = new ArrayList<>();
    questions.add(single("Which version of " + number + " " + title + " do you work to?",
        "The effective version, " + label + ", as Traceline shows it", "The newest draft you can find",
        "The printed copy at the bench, whatever its version", "Whichever version you were trained on first"));
    questions.add(question("multiple-choice", null, "A step of " + number + " cannot be done as written. Which of these "
            + "do you do? Select every right answer.",
        new String[] {"Stop before the step and tell your supervisor", "Record what happened, when it happened"},
        new String[] {"Find a workaround and carry on", "Complete the record later from memory"}));
    questions.add(single("You made a wrong entry on a record kept under " + number + ". How do you correct it?",
        "Strike it through with a single line so it stays legible, write the correct entry, initial, date and give the "
            + "reason", "Use correction fluid and write over it", "Tear out the page and rewrite it",
        "Leave it and tell nobody"));
    questions.add(single("How does " + number + " change?",
        "Through change control: a new version is reviewed, approved and made effective, and people are retrained",
        "Whoever uses it most can update the text", "Supervisors mark up the printed copy",
        "It changes at the next periodic review only"));
    String[] scenario = SCENARIOS.get(version.getString("department"));
    if (scenario != null) {
      questions.add(question("scenario", String.format(scenario[0], number), scenario[1], new String[] {scenario[2]},
          new String[] {scenario[3], scenario[4], scenario[5]}));
    }
    List<Tuple> inserts = new ArrayList<>();
    for (int i = 0; i < questions.size(); i++) {
      JsonObject q = questions.get(i);
      inserts.add(Tuple.from(new Object[] {version.getUUID("document_id"), version.getUUID("version_id"),
          q.getString("kind"), q.getString("scenario"), q.getString("prompt"), q.getJsonArray("options"), i + 1,
          DemoDocuments.SEEDER}));
    }
    return connection.preparedQuery("INSERT INTO assessment_question (id, document_id, version_id, kind, scenario, prompt, "
            + "options, position, created_by) VALUES (uuid_v7(), $1, $2, $3, $4, $5, $6, $7, $8)")
        .executeBatch(inserts)
        .compose(v -> audit.record(connection, AuditEvent.of(new AuditEvent.Actor(DemoDocuments.SEEDER,
                "Traceline demo seeder"), AuditEvent.Source.NONE, "assessment-question.imported", "document-version",
                version.getUUID("version_id").toString())
            .withValues(null, new JsonObject().put("document", number).put("version", label)
                .put("questions", questions.size()))
            .withReason("Demo data: question bank imported by the demo seeder")))
        .mapEmpty();
  }

  private static JsonObject single(String prompt, String right, String... wrong) {
    return question("single-choice", null, prompt, new String[] {right}, wrong);
  }

  /** A question whose options are the right ones then the wrong ones (each attempt shuffles them). */
  private static JsonObject question(String kind, String scenario, String prompt, String[] right, String[] wrong) {
    JsonArray options = new JsonArray();
    int n = 0;
    for (String text : right) {
      options.add(new JsonObject().put("id", "o" + (++n)).put("text", text).put("correct", true));
    }
    for (String text : wrong) {
      options.add(new JsonObject().put("id", "o" + (++n)).put("text", text).put("correct", false));
    }
    return new JsonObject().put("kind", kind).put("scenario", scenario).put("prompt", prompt).put("options", options);
  }
}
