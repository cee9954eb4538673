package io.lifecycle.core;

import static io.lifecycle.core.ScopeTest.assertNpe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** {@link StuckReport}: made with of(), readable, comparable (issue 3 req 4). */
class StuckReportTest {

  /** of() captures the thread's name and current stack. */
  @Test
  void of_capturesThreadStack() {
    StuckReport r =
        StuckReport.of(
            StuckReport.Kind.OPERATION,
            "query",
            "app/job",
            Duration.ofMillis(1500),
            Thread.currentThread());
    assertEquals(StuckReport.Kind.OPERATION, r.kind());
    assertEquals("query", r.what());
    assertEquals("app/job", r.scopePath());
    assertEquals(Duration.ofMillis(1500), r.stuckFor());
    assertEquals(Thread.currentThread().getName(), r.threadName().orElseThrow());
    assertTrue(
        r.stackTrace().stream().anyMatch(e -> e.getMethodName().equals("of_capturesThreadStack")));
    assertTrue(
        r.toString()
            .startsWith("STUCK: query in scope app/job did not finish within 1.5 s (thread "),
        r.toString());
    assertTrue(r.toString().contains("\n    at "), r.toString());
  }

  /** Without a thread, the stack is empty and the headline has no thread. */
  @Test
  void of_nullThread_emptyStack() {
    StuckReport r = StuckReport.of(StuckReport.Kind.CLOSE, "close of X", "", Duration.ZERO, null);
    assertTrue(r.stackTrace().isEmpty());
    assertTrue(r.threadName().isEmpty());
    assertEquals("STUCK: close of X did not finish within 0 ms", r.toString());
  }

  /** toException carries the headline and the stuck thread's stack. */
  @Test
  void toException_carriesHeadlineAndStack() {
    StuckReport r =
        StuckReport.of(
            StuckReport.Kind.TASK, "t", "p", Duration.ofSeconds(2), Thread.currentThread());
    TimeoutException e = r.toException();
    assertTrue(e.getMessage().startsWith("STUCK: t in scope p did not finish within 2 s"));
    assertEquals(r.stackTrace(), java.util.List.of(e.getStackTrace()));
  }

  /** Value equality. */
  @Test
  void equals_byValue() {
    StuckReport a = StuckReport.of(StuckReport.Kind.CLOSE, "x", "p", Duration.ofSeconds(1), null);
    StuckReport b = StuckReport.of(StuckReport.Kind.CLOSE, "x", "p", Duration.ofSeconds(1), null);
    StuckReport c = StuckReport.of(StuckReport.Kind.TASK, "x", "p", Duration.ofSeconds(1), null);
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertNotEquals(a, c);
  }

  /** Bad arguments: nulls named, a negative duration named with its value. */
  @Test
  void of_badArguments_rejected() {
    Duration d = Duration.ZERO;
    assertNpe("kind", () -> StuckReport.of(null, "x", "p", d, null));
    assertNpe("what", () -> StuckReport.of(StuckReport.Kind.CLOSE, null, "p", d, null));
    assertNpe("scopePath", () -> StuckReport.of(StuckReport.Kind.CLOSE, "x", null, d, null));
    assertNpe("stuckFor", () -> StuckReport.of(StuckReport.Kind.CLOSE, "x", "p", null, null));
    ScopeBuilderTest.assertIae(
        "stuckFor must not be negative: PT-1S",
        () -> StuckReport.of(StuckReport.Kind.CLOSE, "x", "p", Duration.ofSeconds(-1), null));
  }
}
