package io.lifecycle.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

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
