package io.traceline.platform.training.assessment;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import io.traceline.platform.http.Problem;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * One attempt's paper: the bank's active questions in an order drawn from the attempt's seed, each with its options in
 * an order drawn from the same seed, and the key, which stays on the server. The seed is kept with the attempt, so the
 * order it presented can be reproduced. Scoring happens here, on the server: a question counts when the chosen options
 * are exactly its correct ones; the score is the percentage of questions right, rounded down.
 */
final class AssessmentPaper {

  private AssessmentPaper() {
  }

  /** The paper for {@code questions} (as the bank stores them) drawn from {@code seed}: [{questionId, kind, scenario, prompt, options: [{id, text}], key: [ids]}]. */
  static JsonArray draw(List<JsonObject> questions, long seed) {
    Random random = new Random(seed);
    List<JsonObject> order = new ArrayList<>(questions);
    Collections.shuffle(order, random);
    JsonArray paper = new JsonArray();
    for (JsonObject question : order) {
      List<JsonObject> options = new ArrayList<>();
      question.getJsonArray("options").forEach(option -> options.add((JsonObject) option));
      Collections.shuffle(options, random);
      JsonArray presented = new JsonArray();
      JsonArray key = new JsonArray();
      for (JsonObject option : options) {
        presented.add(new JsonObject().put("id", option.getString("id")).put("text", option.getString("text")));
        if (Boolean.TRUE.equals(option.getBoolean("correct"))) {
          key.add(option.getString("id"));
        }
      }
      paper.add(new JsonObject().put("questionId", question.getString("id")).put("kind", question.getString("kind"))
          .put("scenario", question.getString("scenario")).put("prompt", question.getString("prompt"))
          .put("options", presented).put("key", key));
    }
    return paper;
  }

  /** The paper as the learner sees it: everything but the key. */
  static JsonArray withoutKey(JsonArray paper) {
    JsonArray questions = new JsonArray();
    paper.forEach(question -> {
      JsonObject copy = ((JsonObject) question).copy();
      copy.remove("key");
      questions.add(copy);
    });
    return questions;
  }

  /**
   * What is wrong with the answers ([{questionId, optionIds}]) for this paper, each pointing at its place: unknown or
   * repeated questions, unanswered questions, unknown options, more than one option for a single-choice question.
   */
  static List<Problem.FieldError> problems(JsonArray paper, JsonArray answers) {
    Map<String, JsonObject> byId = byQuestion(paper);
    List<Problem.FieldError> errors = new ArrayList<>();
    Set<String> answered = new HashSet<>();
    for (int i = 0; i < answers.size(); i++) {
      JsonObject answer = answers.getJsonObject(i);
      String questionId = answer.getString("questionId");
      JsonObject question = byId.get(questionId);
      if (question == null) {
        errors.add(new Problem.FieldError("/answers/" + i + "/questionId", "not a question of this attempt"));
        continue;
      }
      if (!answered.add(questionId)) {
        errors.add(new Problem.FieldError("/answers/" + i + "/questionId", "answered twice"));
        continue;
      }
      Set<String> offered = new HashSet<>();
      question.getJsonArray("options").forEach(option -> offered.add(((JsonObject) option).getString("id")));
      JsonArray chosen = answer.getJsonArray("optionIds", new JsonArray());
      Set<String> distinct = new HashSet<>();
      for (int j = 0; j < chosen.size(); j++) {
        String optionId = chosen.getString(j);
        if (!offered.contains(optionId)) {
          errors.add(new Problem.FieldError("/answers/" + i + "/optionIds/" + j, "not an option of this question"));
        } else if (!distinct.add(optionId)) {
          errors.add(new Problem.FieldError("/answers/" + i + "/optionIds/" + j, "chosen twice"));
        }
      }
      if (chosen.isEmpty()) {
        errors.add(new Problem.FieldError("/answers/" + i + "/optionIds", "choose at least one option"));
      } else if ("single-choice".equals(question.getString("kind")) && chosen.size() > 1) {
        errors.add(new Problem.FieldError("/answers/" + i + "/optionIds", "a single-choice question takes one option"));
      }
    }
    for (int q = 0; q < paper.size(); q++) {
      String questionId = paper.getJsonObject(q).getString("questionId");
      if (!answered.contains(questionId)) {
        errors.add(new Problem.FieldError("/answers", "question " + (q + 1) + " (" + questionId + ") has no answer"));
      }
    }
    return errors;
  }

  /** How many questions the (valid) answers got right. */
  static int correct(JsonArray paper, JsonArray answers) {
    Map<String, Set<Object>> chosen = new HashMap<>();
    answers.forEach(answer -> chosen.put(((JsonObject) answer).getString("questionId"),
        new HashSet<>(((JsonObject) answer).getJsonArray("optionIds").getList())));
    int right = 0;
    for (int q = 0; q < paper.size(); q++) {
      JsonObject question = paper.getJsonObject(q);
      if (new HashSet<>(question.getJsonArray("key").getList()).equals(chosen.get(question.getString("questionId")))) {
        right++;
      }
    }
    return right;
  }

  /** The score in percent, rounded down: passing at N % means at least N % of the questions right. */
  static int score(int correct, int questions) {
    return questions == 0 ? 0 : correct * 100 / questions;
  }

  private static Map<String, JsonObject> byQuestion(JsonArray paper) {
    Map<String, JsonObject> byId = new HashMap<>();
    paper.forEach(question -> byId.put(((JsonObject) question).getString("questionId"), (JsonObject) question));
    return byId;
  }
}
