package io.traceline.platform.training.assessment;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.traceline.platform.http.Problem;
import io.traceline.platform.http.ProblemException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * What makes a question valid, checked all at once (every broken field in one 422): a single-choice question has exactly
 * one correct option, a multiple-choice or scenario question at least one; a scenario question has its case text and
 * only it has one; option texts differ. Options get random ids, so an id says nothing about where the author put the
 * correct answer. A change that names no options keeps the stored ones with their ids; new options get new ids.
 */
final class QuestionRules {

  static final Set<String> KINDS = Set.of("single-choice", "multiple-choice", "scenario");
  private static final SecureRandom RANDOM = new SecureRandom();

  private QuestionRules() {
  }

  /** The question as stored ({kind, scenario, prompt, options: [{id, text, correct}]}), or a 422 listing every problem. */
  static JsonObject normalized(JsonObject question) {
    List<Problem.FieldError> errors = new ArrayList<>();
    String kind = question.getString("kind");
    String scenario = blankToNull(question.getString("scenario"));
    String prompt = blankToNull(question.getString("prompt"));
    if (!KINDS.contains(kind)) {
      errors.add(new Problem.FieldError("/kind", "one of " + KINDS));
    }
    if ("scenario".equals(kind) && scenario == null) {
      errors.add(new Problem.FieldError("/scenario", "a scenario question needs its case text"));
    } else if (!"scenario".equals(kind) && scenario != null) {
      errors.add(new Problem.FieldError("/scenario", "only a scenario question has a case text"));
    }
    if (prompt == null) {
      errors.add(new Problem.FieldError("/prompt", "the question is required"));
    }
    JsonArray given = question.getJsonArray("options", new JsonArray());
    JsonArray options = new JsonArray();
    Set<String> texts = new HashSet<>();
    int correct = 0;
    for (int i = 0; i < given.size(); i++) {
      JsonObject option = given.getJsonObject(i);
      String text = blankToNull(option.getString("text"));
      if (text == null) {
        errors.add(new Problem.FieldError("/options/" + i + "/text", "an option needs its text"));
      } else if (!texts.add(text.toLowerCase(Locale.ROOT))) {
        errors.add(new Problem.FieldError("/options/" + i + "/text", "the same text as another option"));
      }
      boolean isCorrect = Boolean.TRUE.equals(option.getBoolean("correct"));
      correct += isCorrect ? 1 : 0;
      // Options kept from the stored question keep their ids; new ones get fresh random ids.
      String id = option.getString("id");
      options.add(new JsonObject().put("id", id != null ? id : optionId()).put("text", text).put("correct", isCorrect));
    }
    if (given.size() < 2 || given.size() > 10) {
      errors.add(new Problem.FieldError("/options", "2 to 10 options"));
    }
    if ("single-choice".equals(kind) && correct != 1) {
      errors.add(new Problem.FieldError("/options", "a single-choice question has exactly one correct option"));
    } else if (correct == 0) {
      errors.add(new Problem.FieldError("/options", "mark at least one option correct"));
    } else if (correct == given.size() && given.size() > 0) {
      errors.add(new Problem.FieldError("/options", "at least one option must be wrong"));
    }
    if (!errors.isEmpty()) {
      throw ProblemException.unprocessable("The question is not valid", errors);
    }
    return new JsonObject().put("kind", kind).put("scenario", scenario).put("prompt", prompt).put("options", options);
  }

  private static String optionId() {
    byte[] bytes = new byte[6];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }
}
