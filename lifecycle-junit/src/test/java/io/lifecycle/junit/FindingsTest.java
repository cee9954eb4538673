package io.lifecycle.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The failure message: its exact layout, and its bounds. */
class FindingsTest {
  private static final StackTraceElement RUN =
      new StackTraceElement("com.example.Worker", "run", "Worker.java", 42);
  private static final StackTraceElement MAIN =
      new StackTraceElement("com.example.Worker", "main", "Worker.java", 17);
  private static final StackTraceElement SETUP =
      new StackTraceElement("com.example.Fixture", "setUp", "Fixture.java", 20);

  @Test
  void message_leadsWithTheCause_thenAlignedSections() {
    Findings f =
        new Findings(
            List.of(
                new Findings.LeakedScope(
                    Findings.State.OPEN,
                    "app/job",
                    Duration.ofMillis(2_540),
                    List.of(RUN, MAIN),
                    Map.of("AudioStream", 1, "Job (lambda)", 2),
                    1,
                    1,
                    null),
                new Findings.LeakedScope(
                    Findings.State.DROPPED,
                    "poller",
                    Duration.ofMillis(850),
                    List.of(),
                    Map.of(),
                    0,
                    0,
                    null)),
            List.of(
                new Findings.GrownScope(
                    "app", Duration.ofSeconds(184), List.of(SETUP), Map.of("Listener", 3))),
            List.of(
                new Findings.LeakedThread(
                    27,
                    "worker-1",
                    false,
                    "TIMED_WAITING",
                    List.of(
                        "java.base/java.lang.Thread.sleep0(Native Method)",
                        "com.example.Worker.poll(Worker.java:60)"),
                    null),
                new Findings.LeakedThread(
                    41, "", true, "WAITING", List.of("com.example.Job.await(Job.java:9)"), "app/job")),
            Duration.ofMillis(500),
            null);
    assertEquals(
        String.join(
            "\n",
            "2 scopes leaked: app/job (opened at Worker.run:42) still owns AudioStream x1, Job"
                + " (lambda) x2, 1 child scope, 1 task [+1 more]; 1 scope opened before the test"
                + " grew: app (opened at Fixture.setUp:20) gained Listener x3; 2 threads still"
                + " running: worker-1 (platform), #41 (virtual)",
            "",
            "leaked scopes (2):",
            "  app/job  open     age  2.5 s  owns AudioStream x1, Job (lambda) x2, 1 child scope,"
                + " 1 task",
            "      opened at com.example.Worker.run(Worker.java:42)",
            "                com.example.Worker.main(Worker.java:17)",
            "  poller   dropped  age 850 ms  owned nothing",
            "      opened at: not captured (opened at a leak level below ALL)",
            "  (dropped: unreachable without close(), found by the garbage collector; the library"
                + " has closed what it owned)",
            "",
            "scopes opened before the test that own more after it (1):",
            "  app  age 3 min 4 s  gained Listener x3",
            "      opened at com.example.Fixture.setUp(Fixture.java:20)",
            "",
            "threads still running 500 ms after the test (2):",
            "  \"worker-1\" #27  platform  TIMED_WAITING",
            "      at java.base/java.lang.Thread.sleep0(Native Method)",
            "      at com.example.Worker.poll(Worker.java:60)",
            "  \"\" #41          virtual   WAITING        task of scope app/job",
            "      at com.example.Job.await(Job.java:9)"),
        f.message());
  }

  @Test
  void message_isBounded() {
    List<Findings.LeakedScope> scopes = new ArrayList<>();
    List<Findings.LeakedThread> threads = new ArrayList<>();
    List<String> stack = new ArrayList<>();
    List<StackTraceElement> site = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      stack.add("com.example.Deep.frame" + i + "(Deep.java:" + i + ")");
      site.add(new StackTraceElement("com.example.Deep", "frame" + i, "Deep.java", i));
    }
    for (int i = 0; i < 25; i++) {
      scopes.add(
          new Findings.LeakedScope(
              Findings.State.OPEN, "s" + i, Duration.ZERO, site, Map.of(), 0, 0, null));
      threads.add(new Findings.LeakedThread(i, "t" + i, false, "RUNNABLE", stack, null));
    }
    String m = new Findings(scopes, List.of(), threads, Duration.ZERO, null).message();
    List<String> lines = m.lines().toList();
    assertEquals(
        "25 scopes leaked: s0 (opened at Deep.frame0:0) is still open [+24 more];"
            + " 25 threads still running: t0 (platform), t1 (platform), t2 (platform) [+22 more]",
        lines.get(0));
    assertEquals(Findings.MAX_ENTRIES, lines.stream().filter(l -> l.matches("  s\\d+ .*")).count());
    assertEquals(
        Findings.MAX_ENTRIES, lines.stream().filter(l -> l.matches("  \"t\\d+\" .*")).count());
    assertEquals(2, lines.stream().filter(l -> l.equals("  ... and 15 more")).count());
    assertEquals(
        Findings.MAX_ENTRIES, lines.stream().filter(l -> l.equals("      ... 22 more")).count());
    assertEquals(
        Findings.MAX_ENTRIES,
        lines.stream().filter(l -> l.startsWith("      opened at com.example.Deep.frame0")).count());
    assertEquals(
        Findings.MAX_ENTRIES * (Findings.MAX_SITE_FRAMES - 1),
        lines.stream().filter(l -> l.startsWith("                com.example.Deep.frame")).count());
    assertTrue(lines.size() < 200, () -> lines.size() + " lines");
  }

  @Test
  void states_readAsSentences() {
    assertEquals(
        "1 scope leaked: job is still closing, owning Socket x1",
        headline(Findings.State.CLOSING, Map.of("Socket", 1)));
    assertEquals(
        "1 scope leaked: job was dropped without close", headline(Findings.State.DROPPED, Map.of()));
    assertEquals("1 scope leaked: job is still open", headline(Findings.State.OPEN, Map.of()));
  }

  private static String headline(Findings.State state, Map<String, Integer> owned) {
    Findings.LeakedScope s =
        new Findings.LeakedScope(state, "job", Duration.ZERO, List.of(), owned, 0, 0, null);
    return new Findings(List.of(s), List.of(), List.of(), Duration.ZERO, null)
        .message()
        .lines()
        .findFirst()
        .orElseThrow();
  }

  @Test
  void caveat_isPrintedLast_andCleanupFailureNamed() {
    Findings.LeakedScope s =
        new Findings.LeakedScope(
            Findings.State.DROPPED,
            "job",
            Duration.ZERO,
            List.of(),
            Map.of(),
            0,
            0,
            "java.io.IOException: broken pipe");
    String m =
        new Findings(List.of(s), List.of(), List.of(), Duration.ZERO, "virtual threads unseen")
            .message();
    assertTrue(m.contains("owned nothing (its cleanup failed: java.io.IOException: broken pipe)"), m);
    assertTrue(m.endsWith("\n\nnote: virtual threads unseen"), m);
  }

  @Test
  void noFindings_isEmpty() {
    Findings f = new Findings(List.of(), List.of(), List.of(), Duration.ZERO, "ignored when clean");
    assertTrue(f.isEmpty());
    assertEquals("", f.message());
    assertFalse(
        new Findings(
                List.of(),
                List.of(),
                List.of(new Findings.LeakedThread(1, "t", true, null, List.of(), null)),
                Duration.ZERO,
                null)
            .isEmpty());
  }

  @Test
  void durations_areShort() {
    assertEquals("0 ms", Findings.duration(Duration.ZERO));
    assertEquals("999 ms", Findings.duration(Duration.ofNanos(999_999_999)));
    assertEquals("1 s", Findings.duration(Duration.ofMillis(1_049)));
    assertEquals("2.5 s", Findings.duration(Duration.ofMillis(2_549)));
    assertEquals("3 min 4 s", Findings.duration(Duration.ofSeconds(184)));
    assertEquals("2 h 5 min", Findings.duration(Duration.ofMinutes(125)));
  }

  @Test
  void shortFrame_keepsNestedClassNames() {
    assertEquals(
        "Outer$Inner.run:7",
        Findings.shortFrame(new StackTraceElement("a.b.Outer$Inner", "run", "Outer.java", 7)));
    assertEquals(
        "Native.call", Findings.shortFrame(new StackTraceElement("Native", "call", null, -2)));
  }
}
