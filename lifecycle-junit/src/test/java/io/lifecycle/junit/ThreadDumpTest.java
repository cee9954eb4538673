package io.lifecycle.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifecycle.core.Scope;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** Reading the JDK's JSON thread dump, and doing without it. */
class ThreadDumpTest {

  @AfterEach
  void cleanUp() throws InterruptedException {
    Leftovers.cleanUp();
  }

  @Test
  void jdkDump_listsVirtualThreadsStartedOutsideScopes() throws InterruptedException {
    Thread named = Leftovers.leak(Thread.ofVirtual().name("dumped-virtual"));
    Thread unnamed = Leftovers.leak(Thread.ofVirtual());
    List<ThreadDump.Entry> entries = ThreadDump.JDK.take().orElseThrow();
    ThreadDump.Entry n = find(entries, named.threadId());
    assertEquals("dumped-virtual", n.name());
    assertTrue(
        n.stack().stream().anyMatch(f -> f.startsWith("io.lifecycle.junit.Leftovers.awaitRelease(")),
        n::toString);
    assertEquals("", find(entries, unnamed.threadId()).name());
    assertEquals(
        Thread.currentThread().getName(), find(entries, Thread.currentThread().threadId()).name());
  }

  private static ThreadDump.Entry find(List<ThreadDump.Entry> entries, long tid) {
    return entries.stream()
        .filter(e -> e.tid() == tid)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no thread #" + tid + " in " + entries));
  }

  @Test
  void parse_jdk21Format_withoutStateOrVirtual() {
    String json =
        """
        {
          "threadDump": {
            "processId": "1",
            "time": "2024-01-01T00:00:00Z",
            "runtimeVersion": "21+35",
            "threadContainers": [
              {
                "container": "<root>",
                "parent": null,
                "owner": null,
                "threads": [
                  {"tid": "1", "name": "main", "stack": ["java.base\\/java.lang.Thread.sleep0(Native Method)"]},
                  {"tid": "40", "name": "", "stack": []}
                ],
                "threadCount": "2"
              },
              {"container": "java.util.concurrent.ThreadPerTaskExecutor@1", "parent": "<root>",
               "owner": null, "threads": [{"tid": "41", "name": "task", "stack": []}]}
            ]
          }
        }
        """;
    assertEquals(
        List.of(
            new ThreadDump.Entry(
                1,
                "main",
                Optional.empty(),
                null,
                List.of("java.base/java.lang.Thread.sleep0(Native Method)")),
            new ThreadDump.Entry(40, "", Optional.empty(), null, List.of()),
            new ThreadDump.Entry(41, "task", Optional.empty(), null, List.of())),
        ThreadDump.parse(json));
  }

  @Test
  void parse_jdk25Format_withStateAndVirtual() {
    String json =
        """
        {"threadDump": {"threadContainers": [{"container": "<root>", "threads": [
          {"tid": "23", "time": "t", "virtual": true, "name": "v", "state": "WAITING",
           "parkBlocker": {"object": "x"}, "stack": ["a.B.c(B.java:1)"],
           "monitorsOwned": [{"depth": 1, "locks": ["y"]}]}
        ]}]}}
        """;
    assertEquals(
        List.of(
            new ThreadDump.Entry(23, "v", Optional.of(true), "WAITING", List.of("a.B.c(B.java:1)"))),
        ThreadDump.parse(json));
  }

  @Test
  void unavailableDump_isEmpty_andGivenUpAfterTheFirstTry() {
    AtomicInteger calls = new AtomicInteger();
    ThreadDump dump =
        new ThreadDump(
            () -> {
              calls.incrementAndGet();
              throw new NoClassDefFoundError("com/sun/management/HotSpotDiagnosticMXBean");
            });
    assertEquals(Optional.empty(), dump.take());
    assertEquals(Optional.empty(), dump.take());
    assertEquals(1, calls.get());
    assertTrue(
        dump.unavailableReason().orElseThrow().startsWith("the JDK offers no thread dump"),
        dump.unavailableReason()::toString);
  }

  @Test
  void unknownFormat_isEmpty_andGivenUp() {
    AtomicInteger calls = new AtomicInteger();
    ThreadDump dump =
        new ThreadDump(
            () -> {
              calls.incrementAndGet();
              return "{\"threadDump\": {\"threadContainers\": 3}}";
            });
    assertEquals(Optional.empty(), dump.take());
    assertEquals(Optional.empty(), dump.take());
    assertEquals(1, calls.get());
    assertEquals(
        "the JDK's thread dump format is not understood (threadContainers is not an array)",
        dump.unavailableReason().orElseThrow());
  }

  @Test
  void givingUp_isLoggedOnce_atWarning() {
    ThreadDump dump = new ThreadDump(() -> "{\"threadDump\": {\"threadContainers\": 3}}");
    List<String> warnings;
    try (CapturedLog log = new CapturedLog()) {
      assertEquals(Optional.empty(), dump.take());
      assertEquals(Optional.empty(), dump.take());
      warnings = log.messages(Level.WARNING);
    }
    assertEquals(
        List.of(
            "leak checks cannot see virtual threads started outside scopes from now on: the JDK's"
                + " thread dump format is not understood (threadContainers is not an array) (Java "
                + Runtime.version()
                + "); each check says so in a note"),
        warnings);
  }

  /** Checks with a dump that cannot be read, registered as {@code @LeakCheck} would. */
  @TestMethodOrder(MethodOrderer.MethodName.class)
  static class UnreadableDump {
    @RegisterExtension
    static final LeakCheckExtension CHECK =
        new LeakCheckExtension(new ThreadDump(() -> "<threadDump/>"));

    @Test
    void a_startsAThread() throws InterruptedException {
      Thread.ofVirtual().start(() -> {}).join(); // constructs a thread: the check reads the dump
    }

    @Test
    void b_startsNothing() {} // the dump is known unreadable: the note all the same
  }

  @Test
  void unreadableDump_passingTestsSayWhatWasNotChecked_andItIsLoggedOnce() {
    EngineExecutionResults results;
    List<String> warnings;
    try (CapturedLog log = new CapturedLog()) {
      results = Kit.run(UnreadableDump.class);
      warnings = log.messages(Level.WARNING);
    }
    Kit.assertCounts(results, 2, 0);
    String note =
        "virtual threads started outside scopes were not checked (the JDK's thread dump format is"
            + " not understood (malformed JSON at offset 0: unexpected character '<'))";
    assertEquals(
        List.of("a_startsAThread(): " + note, "b_startsNothing(): " + note),
        results.testEvents().reportingEntryPublished().stream()
            .map(
                e ->
                    e.getTestDescriptor().getDisplayName()
                        + ": "
                        + e.getPayload(ReportEntry.class)
                            .orElseThrow()
                            .getKeyValuePairs()
                            .get("lifecycle.note"))
            .sorted()
            .toList());
    assertEquals(1, warnings.size(), warnings::toString);
    assertTrue(
        warnings.get(0).startsWith("leak checks cannot see virtual threads"), warnings::toString);
  }

  /** Counts the JDK's dumps that a check takes. */
  private static final class CountingDump {
    final AtomicInteger dumps = new AtomicInteger();
    final ThreadDump dump =
        new ThreadDump(
            () -> {
              dumps.incrementAndGet();
              return ThreadDump.jdkJson();
            });
  }

  private static final Config NO_LINGER =
      new Config(LeakCheck.Mode.FAIL, Duration.ofSeconds(5), Duration.ZERO, List.of(), List.of());

  /**
   * A check whose test constructs no thread reads no dump: no id was handed out since it started.
   * (Checked over a few checks: a JVM thread that happens to start during one, such as a carrier
   * thread, makes that one read the dump, which is correct, only slower.)
   */
  @Test
  void check_readsNoDump_whenNoThreadWasConstructed() throws InterruptedException {
    List<Integer> counts = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      CountingDump counting = new CountingDump();
      Probe probe = Probe.start(NO_LINGER, counting.dump);
      try (Scope s = Scope.open("no-threads")) {
        s.own(new AudioStream());
      }
      assertTrue(probe.finish().isEmpty());
      counts.add(counting.dumps.get());
    }
    assertTrue(counts.contains(0), counts::toString);
  }

  /** A check whose test constructs threads reads one dump, after the test; none before. */
  @Test
  void check_readsOneDump_afterTheTest_whenThreadsWereConstructed() throws Exception {
    CountingDump counting = new CountingDump();
    Probe probe = Probe.start(NO_LINGER, counting.dump);
    assertEquals(0, counting.dumps.get());
    Thread.ofVirtual().start(() -> {}).join();
    try (Scope s = Scope.open("tasks")) {
      s.fork(() -> 1);
      s.join();
    }
    assertTrue(probe.finish().isEmpty());
    assertEquals(1, counting.dumps.get());

    // and the dump still finds a virtual thread started outside scopes
    CountingDump again = new CountingDump();
    Probe leaking = Probe.start(NO_LINGER, again.dump);
    long tid = Leftovers.leak(Thread.ofVirtual().name("outside")).threadId();
    Findings findings = leaking.finish();
    assertEquals(
        List.of("outside #" + tid + " virtual"),
        findings.threads.stream()
            .map(t -> t.name() + " #" + t.tid() + (t.virtual() ? " virtual" : " platform"))
            .toList());
  }

  @Test
  void ioFailure_isEmpty_andTriedAgainNextTime() {
    AtomicInteger calls = new AtomicInteger();
    ThreadDump dump =
        new ThreadDump(
            () -> {
              if (calls.incrementAndGet() == 1) {
                throw new IOException("disk full");
              }
              return "{\"threadDump\": {\"threadContainers\": []}}";
            });
    assertEquals(Optional.empty(), dump.take());
    assertEquals(Optional.of(List.of()), dump.take());
    assertEquals(Optional.empty(), dump.unavailableReason());
  }

  @Test
  void checkWithoutDump_stillFindsPlatformAndScopeThreads_andSaysWhatItCouldNotSee()
      throws InterruptedException {
    ThreadDump none =
        new ThreadDump(
            () -> {
              throw new UnsupportedOperationException("no dumps here");
            });
    Config config =
        new Config(LeakCheck.Mode.FAIL, Duration.ofSeconds(5), Duration.ZERO, List.of(), List.of());
    Probe probe = Probe.start(config, none);
    Leftovers.leak(Thread.ofPlatform().name("seen-without-dump"));
    Leftovers.leak(Thread.ofVirtual().name("unseen-without-dump"));
    String message = probe.finish().message();
    assertTrue(
        message.startsWith("1 thread still running: seen-without-dump (platform)\n"), message);
    assertTrue(
        message.endsWith(
            "note: virtual threads started outside scopes were not checked (the JDK offers no"
                + " thread dump (java.lang.UnsupportedOperationException: no dumps here))"),
        message);
  }
}
