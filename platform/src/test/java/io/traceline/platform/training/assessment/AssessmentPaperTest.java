package io.traceline.platform.training.assessment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.traceline.platform.http.Problem;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("An assessment paper: drawn from its seed, scored on the server, answers checked against what it presented")
class AssessmentPaperTest {

  private static JsonObject question(String id, String kind, String... options) {
    JsonArray given = new JsonArray();
    for (String option : options) {
      given.add(new JsonObject().put("id", id + "-" + option.replace("*", "")).put("text", option.replace("*", ""))
          .put("correct", option.startsWith("*")));
    }
    return new JsonObject().put("id", id).put("kind", kind).put("prompt", "Question " + id).put("options", given);
  }

  private static final List<JsonObject> BANK = List.of(question("q1", "single-choice", "*a", "b", "c"),
      question("q2", "multiple-choice", "*a", "*b", "c"), question("q3", "scenario", "a", "*b"));

  private static JsonObject answer(String questionId, String... options) {
    JsonArray ids = new JsonArray();
    for (String option : options) {
      ids.add(questionId + "-" + option);
    }
    return new JsonObject().put("questionId", questionId).put("optionIds", ids);
  }

  @Test
  @DisplayName("the same seed draws the same paper; the key stays in the paper and leaves with no learner view")
  void seedReproducesThePaper() {
    JsonArray paper = AssessmentPaper.draw(BANK, 42L);
    assertThat(AssessmentPaper.draw(BANK, 42L)).isEqualTo(paper);
    assertThat(paper.getJsonObject(0).containsKey("key")).isTrue();
    assertThat(AssessmentPaper.withoutKey(paper).encode()).doesNotContain("\"key\"").doesNotContain("\"correct\"");
  }

  @Test
  @DisplayName("a question counts only when the chosen options are exactly its correct ones; the score rounds down")
  void scoring() {
    JsonArray paper = AssessmentPaper.draw(BANK, 7L);
    JsonArray answers = new JsonArray().add(answer("q1", "a")).add(answer("q2", "a")).add(answer("q3", "b"));
    assertThat(AssessmentPaper.correct(paper, answers)).isEqualTo(2);
    assertThat(AssessmentPaper.score(2, 3)).isEqualTo(66);
    answers.set(1, answer("q2", "b", "a"));
    assertThat(AssessmentPaper.correct(paper, answers)).isEqualTo(3);
    answers.set(1, answer("q2", "a", "b", "c"));
    assertThat(AssessmentPaper.correct(paper, answers)).isEqualTo(2);
  }

  @Test
  @DisplayName("every problem with the answers at once, each pointing at its place")
  void problems() {
    JsonArray paper = AssessmentPaper.draw(BANK, 1L);
    JsonArray answers = new JsonArray().add(answer("q1", "a", "b")).add(answer("q2", "a", "zz"))
        .add(answer("q9", "a")).add(answer("q2", "c"));
    List<Problem.FieldError> problems = AssessmentPaper.problems(paper, answers);
    assertThat(problems).extracting(Problem.FieldError::pointer).containsExactly("/answers/0/optionIds",
        "/answers/1/optionIds/1", "/answers/2/questionId", "/answers/3/questionId", "/answers");
  }
}
