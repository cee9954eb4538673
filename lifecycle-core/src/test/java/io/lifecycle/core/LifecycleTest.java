package io.lifecycle.core;

import static io.lifecycle.core.Internals.unique;
import static io.lifecycle.core.ScopeTest.assertNpe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.testing.NullPointerTester;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

/** The runtime: leak level, listeners, dump() and openScopes() (issue 2 req 5, 6, 7). */
@SuppressWarnings("MustBeClosedChecker") // scopes are closed explicitly
class LifecycleTest {

  /** A resource type of this test only. */
  static final class DumpProbe implements AutoCloseable {
    @Override
    public void close() {}

    @Override
    public String toString() {
      throw new IllegalStateException("a dump must never call toString()");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Runtime settings and listeners
  // ---------------------------------------------------------------------------------------------

  /** leakLevel(level) sets the runtime-wide level and returns the previous one. */
  @Test
  void leakLevel_setReturnsPrevious() {
    LeakLevel original = Lifecycle.leakLevel();
    try {
      assertSame(original, Lifecycle.leakLevel(LeakLevel.PARANOID));
      assertSame(LeakLevel.PARANOID, Lifecycle.leakLevel());
      try (Scope s = Scope.open(unique("paranoid"))) {
        assertSame(LeakLevel.PARANOID, s.node.level());
      }
      assertSame(LeakLevel.PARANOID, Lifecycle.leakLevel(LeakLevel.DISABLED));
      try (Scope s = Scope.open(unique("disabled"))) {
        assertFalse(s.node.tracked());
      }
    } finally {
      Lifecycle.leakLevel(original);
    }
  }

  /** The default level, without the system property, is SAMPLED. */
  @Test
  void leakLevel_defaultSampled() {
    assertSame(LeakLevel.SAMPLED, Settings.LEAK_LEVEL);
  }

  /** reportStuck delivers to every leak listener and logs at WARNING with the stack. */
  @Test
  void reportStuck_deliveredToListenersAndLogged() {
    String path = unique("watched");
    try (LeakCapture capture = LeakCapture.forPath(path);
        LogCapture log = LogCapture.start()) {
      StuckReport report =
          StuckReport.of(
              StuckReport.Kind.OPERATION,
              "write to peer",
              path,
              Duration.ofSeconds(3),
              Thread.currentThread());
      Lifecycle.reportStuck(report);
      assertEquals(List.of(report), capture.stucks());
      String logged = log.messages(Level.WARNING, "STUCK: write to peer in scope " + path).get(0);
      assertTrue(logged.contains("did not finish within 3 s"), logged);
      assertTrue(logged.contains("\n    at "), logged);
      assertTrue(logged.contains("reportStuck_deliveredToListenersAndLogged"), logged);
    }
  }

  /** A listener that throws on a stuck report does not stop the others; it is logged. */
  @Test
  void reportStuck_throwingListener_othersStillCalled() {
    String path = unique("throwing");
    Registration bad =
        Lifecycle.addLeakListener(
            new LeakListener() {
              @Override
              public void onLeak(LeakReport report) {}

              @Override
              public void onStuck(StuckReport report) {
                throw new IllegalStateException("listener bug");
              }
            });
    try (LeakCapture capture = LeakCapture.forPath(path);
        LogCapture log = LogCapture.start()) {
      Lifecycle.reportStuck(StuckReport.of(StuckReport.Kind.TASK, "t", path, Duration.ZERO, null));
      assertEquals(1, capture.stucks().size());
      assertEquals(1, log.records(Level.WARNING, "threw on a stuck report").size());
    } finally {
      bad.close();
    }
  }

  /** awaitCleanup checks its timeout; with nothing dropped it returns no report of its caller's. */
  @Test
  void awaitCleanup_checksTimeout() throws Exception {
    ScopeBuilderTest.assertIae(
        "timeout must not be negative: PT-1S",
        () -> Lifecycle.awaitCleanup(Duration.ofSeconds(-1)));
    assertNpe("timeout", () -> Lifecycle.awaitCleanup(null));
    List<LeakReport> reports = Lifecycle.awaitCleanup(Duration.ZERO);
    assertTrue(reports.isEmpty(), reports::toString);
  }

  /** Every static method rejects null, naming the argument. */
  @Test
  void nullArguments_throwNullPointerNamingArgument() {
    assertNpe("newLevel", () -> Lifecycle.leakLevel(null));
    assertNpe("listener", () -> Lifecycle.addLeakListener(null));
    assertNpe("report", () -> Lifecycle.reportStuck(null));
    new NullPointerTester()
        .setDefault(Duration.class, Duration.ZERO)
        .testAllPublicStaticMethods(Lifecycle.class);
  }

  // ---------------------------------------------------------------------------------------------
  // dump()
  // ---------------------------------------------------------------------------------------------

  /**
   * dump() shows each open root as an indented tree: path, age, site, owned types with counts
   * (lambdas by their declaring class), children; with a legend.
   */
  @Test
  void dump_showsTreeWithOwnedTypes() {
    String name = unique("dumped");
    try (Scope root = Scope.builder(name).leakLevel(LeakLevel.ALL).open();
        Scope room = root.child("room")) {
      root.own(new DumpProbe());
      root.own(new DumpProbe());
      root.onClose(() -> {});
      room.own(TestResource.of("x"));
      String dump = Lifecycle.dump();
      assertTrue(
          dump.startsWith("lifecycle: ")
              && dump.contains(" [+= scope, +- owned (type x count), +> task]\n"),
          dump);
      String section = section(dump, name);
      assertTrue(section.startsWith("+= " + name + " (age "), section);
      assertTrue(section.contains(", opened at LifecycleTest.dump_showsTreeWithOwnedTypes:"));
      assertTrue(section.contains("\n|  +- LifecycleTest (lambda)\n"), section);
      assertTrue(section.contains("\n|  +- LifecycleTest$DumpProbe x2\n"), section);
      assertTrue(section.contains("\n|  += " + name + "/room (age "), section);
      assertTrue(section.contains("\n|  |  +- TestResource\n"), section);
    }
    assertFalse(Lifecycle.dump().contains("+= " + name + " "), "closed roots are not shown");
  }

  /** dump() is bounded in breadth: beyond 32 children a "... N more" line. */
  @Test
  void dump_manyChildren_boundedWithMoreLine() {
    String name = unique("wide");
    try (Scope root = Scope.open(name)) {
      for (int i = 0; i < Dump.MAX_CHILDREN + 9; i++) {
        root.child("c" + i);
      }
      String section = section(Lifecycle.dump(), name);
      assertTrue(section.contains("\n|  ... 9 more child scopes\n"), section);
      assertEquals(Dump.MAX_CHILDREN, count(section, "|  += " + name + "/c"));
    }
  }

  /** dump() is bounded in depth: below 12 levels a summary line. */
  @Test
  void dump_deepTree_boundedWithDepthLine() {
    String name = unique("deep");
    try (Scope root = Scope.open(name)) {
      Scope s = root;
      for (int i = 0; i < Dump.MAX_DEPTH + 2; i++) {
        s = s.child("d" + i);
      }
      String section = section(Lifecycle.dump(), name);
      assertTrue(section.contains("... 1 child scope below the depth limit\n"), section);
      assertEquals(Dump.MAX_DEPTH, count(section, "+= "));
    }
  }

  /** dump() lists tasks with thread name and state, bounded with a "... N more tasks" line. */
  @Test
  void dump_manyTasks_boundedWithMoreLine() throws Exception {
    String name = unique("busy");
    CountDownLatch release = new CountDownLatch(1);
    int tasks = Dump.MAX_TASKS + 4;
    CountDownLatch started = new CountDownLatch(tasks);
    try (Scope root = Scope.open(name)) {
      for (int i = 0; i < tasks; i++) {
        root.fork(
            () -> {
              started.countDown();
              release.await();
            });
      }
      started.await();
      String section = section(Lifecycle.dump(), name);
      assertEquals(Dump.MAX_TASKS, count(section, "|  +> " + name + " [RUNNING, virtual]\n"));
      assertTrue(section.contains("|  ... 4 more tasks\n"), section);
      release.countDown();
    }
  }

  /** A closing scope is shown as closing. */
  @Test
  void dump_closingScope_markedClosing() {
    String name = unique("closing");
    AtomicReference<String> during = new AtomicReference<>();
    Scope root = Scope.open(name);
    root.onClose(() -> during.set(section(Lifecycle.dump(), name)));
    root.close();
    assertTrue(during.get().startsWith("+= " + name + " (age "), during.get());
    assertTrue(during.get().contains(", closing)\n"), during.get());
  }

  // ---------------------------------------------------------------------------------------------
  // openScopes()
  // ---------------------------------------------------------------------------------------------

  /**
   * A root at DISABLED is not held by the library, so neither openScopes() nor dump() lists it;
   * the live counters still count it.
   */
  @Test
  void openScopes_disabledRoot_notListed() {
    String name = unique("untracked-root");
    try (Scope root = Scope.builder(name).leakLevel(LeakLevel.DISABLED).open()) {
      root.own(TestResource.of("r"));
      assertTrue(
          Lifecycle.openScopes().stream().noneMatch(i -> i.path().equals(name)),
          "openScopes() lists a DISABLED root");
      assertFalse(Lifecycle.dump().contains("+= " + name + " ("), "dump() lists a DISABLED root");
      assertEquals(1L, Lifecycle.snapshot().scopes().get(name));
    }
  }

  /**
   * openScopes() lists every open scope depth first with path, name, age, site, directly owned
   * resources by type, children and tasks.
   */
  @Test
  void openScopes_listsScopesWithWhatTheyOwn() {
    String name = unique("listed");
    try (Scope root = Scope.builder(name).leakLevel(LeakLevel.ALL).open();
        Scope job = root.child("job")) {
      root.own(new DumpProbe());
      job.own(new DumpProbe());
      job.own(new DumpProbe());
      job.onClose(() -> {});
      List<ScopeInfo> mine =
          Lifecycle.openScopes().stream().filter(i -> i.path().startsWith(name)).toList();
      assertEquals(2, mine.size());
      ScopeInfo r = mine.get(0);
      ScopeInfo j = mine.get(1);
      assertEquals(name, r.path());
      assertEquals(name, r.name());
      assertTrue(r.isRoot());
      assertFalse(r.isClosing());
      assertEquals(1, r.childScopes());
      assertEquals(Map.of("LifecycleTest$DumpProbe", 1), r.resources());
      assertTrue(r.tasks().isEmpty());
      assertFalse(r.age().isNegative());
      assertEquals(
          "openScopes_listsScopesWithWhatTheyOwn", r.allocationSite().get(0).getMethodName());

      assertEquals(name + "/job", j.path());
      assertEquals("job", j.name());
      assertFalse(j.isRoot());
      assertEquals(
          Map.of("LifecycleTest$DumpProbe", 2, "LifecycleTest (lambda)", 1), j.resources());
      assertTrue(
          j.toString()
              .matches(
                  java.util.regex.Pattern.quote(name + "/job (age ")
                      + "\\d+ ms, opened at LifecycleTest\\.openScopes_listsScopesWithWhatTheyOwn:"
                      + "\\d+\\): LifecycleTest \\(lambda\\) x1, LifecycleTest\\$DumpProbe x2"),
          j.toString());
      assertThrows(UnsupportedOperationException.class, () -> j.resources().clear());
    }
    assertTrue(Lifecycle.openScopes().stream().noneMatch(i -> i.path().startsWith(name)));
  }

  /** A scope whose close is in progress is listed as closing. */
  @Test
  void openScopes_closingScope_listedAsClosing() {
    String name = unique("closing");
    AtomicReference<ScopeInfo> during = new AtomicReference<>();
    Scope root = Scope.open(name);
    root.onClose(
        () ->
            during.set(
                Lifecycle.openScopes().stream()
                    .filter(i -> i.path().equals(name))
                    .findFirst()
                    .orElseThrow()));
    root.close();
    assertTrue(during.get().isClosing());
    assertTrue(during.get().toString().contains(", closing)"), during.get().toString());
  }

  // ---------------------------------------------------------------------------------------------

  /** Returns the lines of {@code dump} from the root {@code name} to the next root. */
  static String section(String dump, String name) {
    int start = dump.indexOf("+= " + name + " (");
    assertTrue(start >= 0, () -> name + " not in dump:\n" + dump);
    int end = dump.indexOf("\n+= ", start);
    return end < 0 ? dump.substring(start) : dump.substring(start, end + 1);
  }

  static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }
}
