package io.lifecycle.core;

import static io.lifecycle.core.Internals.liveEntries;
import static io.lifecycle.core.Internals.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.testing.GcFinalization;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import jdk.jfr.consumer.RecordedEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Scopes dropped without close are found by the garbage collector, reported once for the topmost
 * leaked scope and cleaned up (issue 2 req 5, 6 and 9). Each scope is made in a helper method, so
 * that only the test's weak references and the library can reach it; the tests wait with {@link
 * Lifecycle#awaitCleanup}, never by sleeping.
 */
@Tag("gc")
@SuppressWarnings("MustBeClosedChecker") // dropping scopes unclosed is the point
class LeakGcTest {
  private static final Duration ROUND = Duration.ofSeconds(5);
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  private LeakLevel previous;

  @BeforeEach
  void saveLevel() {
    previous = Lifecycle.leakLevel();
  }

  @AfterEach
  void restoreLevel() {
    Lifecycle.leakLevel(previous);
  }

  // ---------------------------------------------------------------------------------------------
  // One test per level
  // ---------------------------------------------------------------------------------------------

  /**
   * DISABLED: a dropped scope is neither reported nor closed, nor held by the library (its
   * resources become collectable); counters still count it.
   */
  @Test
  void disabled_droppedScope_notReportedNotClosedButCounted() throws Exception {
    String name = unique("disabled");
    try (LeakCapture capture = LeakCapture.forPath(name)) {
      TestResource r = TestResource.of("r");
      WeakReference<Scope> handle = dropScope(name, LeakLevel.DISABLED, r);
      GcFinalization.awaitClear(handle);
      List<LeakReport> reports = Lifecycle.awaitCleanup(ROUND);
      assertTrue(reports.stream().noneMatch(x -> x.path().equals(name)));
      assertTrue(capture.leaks().isEmpty());
      assertFalse(r.isClosed());
      assertEquals(1L, Lifecycle.snapshot().scopes().get(name));
      assertFalse(Internals.isOpenRoot(name), "an untracked root is not held by the library");
      WeakReference<TestResource> resource = new WeakReference<>(r);
      r = null;
      GcFinalization.awaitClear(resource);
    } finally {
      Internals.closeRoot(name);
    }
  }

  /** DISABLED set runtime-wide applies to scopes opened afterwards. */
  @Test
  void disabledRuntimeWide_droppedScope_notReported() throws Exception {
    String name = unique("disabled-runtime");
    Lifecycle.leakLevel(LeakLevel.DISABLED);
    try (LeakCapture capture = LeakCapture.forPath(name)) {
      TestResource r = TestResource.of("r");
      WeakReference<Scope> handle = dropScope(name, null, r);
      Lifecycle.leakLevel(previous);
      GcFinalization.awaitClear(handle);
      Lifecycle.awaitCleanup(ROUND);
      assertTrue(capture.leaks().isEmpty());
      assertFalse(r.isClosed());
    } finally {
      Internals.closeRoot(name);
    }
  }

  /** SAMPLED: a dropped scope is reported and cleaned up; its site may or may not be captured. */
  @Test
  void sampled_droppedScope_reportedAndClosed() throws Exception {
    String name = unique("sampled");
    try (LeakCapture capture = LeakCapture.forPath(name)) {
      TestResource r = TestResource.of("r");
      dropScope(name, LeakLevel.SAMPLED, r);
      LeakReport report = awaitOne(capture, name);
      assertEquals(1, r.closeCount());
      if (report.allocationSite().isEmpty()) {
        assertTrue(report.toString().contains("opened at: not captured (leak level SAMPLED"));
        assertTrue(report.openedOnThread().isEmpty());
      } else {
        assertTrue(mentions(report, "dropScope"), report::toString);
      }
    }
  }

  /** ALL: the report carries the allocation site, which names the test method, and the thread. */
  @Test
  void all_droppedScope_reportNamesAllocationSite() throws Exception {
    String name = unique("all");
    try (LeakCapture capture = LeakCapture.forPath(name)) {
      TestResource r = TestResource.of("r");
      dropScope(name, LeakLevel.ALL, r);
      LeakReport report = awaitOne(capture, name);
      assertEquals(1, r.closeCount());
      List<StackTraceElement> site = report.allocationSite();
      assertFalse(site.isEmpty());
      assertEquals("dropScope", site.get(0).getMethodName(), "library frames are skipped");
      assertTrue(mentions(report, "all_droppedScope_reportNamesAllocationSite"), site::toString);
      assertEquals(Thread.currentThread().getName(), report.openedOnThread().orElseThrow());
      assertTrue(report.toString().contains("LeakGcTest.dropScope"), report::toString);
      assertTrue(report.summary().startsWith(name + " (opened at LeakGcTest.dropScope:"));
    }
  }

  /** PARANOID: the report also lists the latest accesses to the scope. */
  @Test
  void paranoid_droppedScope_reportListsAccesses() throws Exception {
    String name = unique("paranoid");
    try (LeakCapture capture = LeakCapture.forPath(name)) {
      TestResource r = TestResource.of("r");
      dropScope(name, LeakLevel.PARANOID, r);
      LeakReport report = awaitOne(capture, name);
      assertFalse(report.allocationSite().isEmpty());
      List<String> accesses = report.accesses();
      assertTrue(accesses.stream().anyMatch(a -> a.startsWith("own at ")), accesses::toString);
      assertTrue(accesses.stream().anyMatch(a -> a.startsWith("onClose at ")), accesses::toString);
      assertTrue(accesses.stream().anyMatch(a -> a.contains("dropScope")), accesses::toString);
      assertTrue(report.toString().contains("  accessed: own at "), report::toString);
    }
  }

  /** The runtime-wide level applies to scopes opened without their own. */
  @Test
  void allRuntimeWide_droppedScope_reportedWithSite() throws Exception {
    String name = unique("all-runtime");
    Lifecycle.leakLevel(LeakLevel.ALL);
    try (LeakCapture capture = LeakCapture.forPath(name)) {
      TestResource r = TestResource.of("r");
      dropScope(name, null, r);
      LeakReport report = awaitOne(capture, name);
      assertFalse(report.allocationSite().isEmpty());
    }
  }

  /** A builder's leak level wins over the runtime-wide one, in both directions. */
  @Test
  void builderLevel_overridesRuntimeLevel() throws Exception {
    String tracked = unique("builder-all");
    String untracked = unique("builder-disabled");
    try (LeakCapture capture = LeakCapture.forPath("builder-")) {
      Lifecycle.leakLevel(LeakLevel.DISABLED);
      TestResource r1 = TestResource.of("r1");
      dropScope(tracked, LeakLevel.ALL, r1);
      Lifecycle.leakLevel(LeakLevel.ALL);
      TestResource r2 = TestResource.of("r2");
      WeakReference<Scope> h2 = dropScope(untracked, LeakLevel.DISABLED, r2);
      awaitOne(capture, tracked);
      GcFinalization.awaitClear(h2);
      Lifecycle.awaitCleanup(ROUND);
      assertTrue(capture.leaks().stream().noneMatch(x -> x.path().equals(untracked)));
      assertEquals(1, r1.closeCount());
      assertFalse(r2.isClosed());
    } finally {
      Internals.closeRoot(untracked);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Roots, children, subtrees
  // ---------------------------------------------------------------------------------------------

  /** A dropped child is reported; its parent stays open and usable, and its slot is freed. */
  @Test
  void child_dropped_reportedParentUsableSlotFreed() throws Exception {
    String name = unique("parent");
    try (LeakCapture capture = LeakCapture.forPath(name);
        Scope parent = Scope.builder(name).leakLevel(LeakLevel.ALL).open()) {
      TestResource kept = parent.own(TestResource.of("kept"));
      int before = liveEntries(parent);
      TestResource r = TestResource.of("r");
      dropChild(parent, "job", r);
      assertEquals(before + 1, liveEntries(parent));

      LeakReport report = awaitOne(capture, name + "/job");
      assertEquals("job", report.name());
      assertEquals(1, r.closeCount());
      assertTrue(parent.isOpen());
      assertFalse(kept.isClosed());
      assertEquals(before, liveEntries(parent), "the leaked child's slot is freed");
      try (Scope again = parent.child("job")) {
        again.own(TestResource.of("again"));
      }
      assertTrue(mentions(report, "dropChild"));
    }
  }

  /**
   * A dropped subtree is reported once, for its topmost scope, listing what its descendants held;
   * the safety net closes all of it.
   */
  @Test
  void subtree_dropped_reportedOnceForTopmost() throws Exception {
    String name = unique("subtree");
    try (LeakCapture capture = LeakCapture.forPath(name)) {
      TestResource[] rs = {TestResource.of("r0"), TestResource.of("r1"), TestResource.of("r2")};
      AtomicInteger actionRuns = new AtomicInteger();
      dropSubtree(name, rs, actionRuns);
      LeakReport report = awaitOne(capture, name);
      assertEquals(name, report.path());
      assertEquals(2, report.descendantScopes());
      assertEquals(3, report.owned().get("TestResource"));
      assertEquals(1, report.owned().get("LeakGcTest (lambda)"), report.owned()::toString);
      for (TestResource r : rs) {
        assertEquals(1, r.closeCount());
      }
      assertEquals(1, actionRuns.get());
      Lifecycle.awaitCleanup(ROUND);
      assertEquals(1, capture.leaks().size(), () -> "reported more than once: " + capture.leaks());
    }
  }

  /** A dropped root whose child is still held is reported; the safety net closes the child too. */
  @Test
  void root_droppedWithChildHeld_rootReportedChildClosed() throws Exception {
    String name = unique("dropped-root");
    try (LeakCapture capture = LeakCapture.forPath(name)) {
      TestResource r = TestResource.of("r");
      Scope child = dropRootKeepChild(name, r);
      LeakReport report = awaitOne(capture, name);
      assertEquals(name, report.path());
      assertFalse(child.isOpen());
      assertEquals(1, r.closeCount());
      assertEquals(1, capture.leaks().size());
    }
  }

  /** A leaked root leaves the open roots once cleaned up. */
  @Test
  void root_dropped_leavesOpenRoots() throws Exception {
    String name = unique("root-gone");
    try (LeakCapture capture = LeakCapture.forPath(name)) {
      dropScope(name, LeakLevel.SAMPLED, TestResource.of("r"));
      awaitOne(capture, name);
      assertFalse(Internals.isOpenRoot(name));
      assertNull(Lifecycle.snapshot().scopes().get(name));
    }
  }

  /** A closed scope, then dropped, is never reported. */
  @Test
  void closedScope_dropped_notReported() throws Exception {
    String name = unique("closed");
    try (LeakCapture capture = LeakCapture.forPath(name)) {
      WeakReference<Scope> handle = closeAndDrop(name);
      GcFinalization.awaitClear(handle);
      Lifecycle.awaitCleanup(ROUND);
      assertTrue(capture.leaks().isEmpty());
    }
  }

  /** A safety-net close that fails is reported in the leak report, not lost. */
  @Test
  void cleanupFails_reportCarriesFailure() throws Exception {
    String name = unique("cleanup-fails");
    try (LeakCapture capture = LeakCapture.forPath(name)) {
      IOException failure = new IOException("cannot close");
      dropScope(name, LeakLevel.ALL, TestResource.failing("bad", null, failure));
      LeakReport report = awaitOne(capture, name);
      Throwable t = report.cleanupFailure().orElseThrow();
      assertInstanceOf(CloseFailedException.class, t);
      assertTrue(t.getCause() == failure, t::toString);
      assertTrue(report.toString().contains("cleanup failed: "), report::toString);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Delivery
  // ---------------------------------------------------------------------------------------------

  /** awaitCleanup returns the reports delivered during the call. */
  @Test
  void awaitCleanup_returnsReports() throws Exception {
    for (int attempt = 0; ; attempt++) {
      String name = unique("returned");
      try (LeakCapture capture = LeakCapture.forPath(name)) {
        dropScope(name, LeakLevel.ALL, TestResource.of("r"));
        boolean deliveredBefore = !capture.leaks().isEmpty();
        List<LeakReport> reports = Lifecycle.awaitCleanup(ROUND);
        if (deliveredBefore && attempt < 5) {
          continue; // a collection found it before the call: try again
        }
        List<LeakReport> mine = reports.stream().filter(x -> x.path().equals(name)).toList();
        assertEquals(1, mine.size(), reports::toString);
        assertEquals(capture.leaks(), mine);
        return;
      }
    }
  }

  /** A listener removed by closing its registration receives nothing more. */
  @Test
  void leakListener_removed_receivesNothing() throws Exception {
    String name = unique("removed-listener");
    AtomicInteger calls = new AtomicInteger();
    Registration removed =
        Lifecycle.addLeakListener(
            report -> {
              if (report.path().startsWith(name)) {
                calls.incrementAndGet();
              }
            });
    removed.close();
    try (LeakCapture capture = LeakCapture.forPath(name)) {
      dropScope(name, LeakLevel.ALL, TestResource.of("r"));
      awaitOne(capture, name);
      assertEquals(0, calls.get());
    }
    assertFalse(removed.cancel());
  }

  /**
   * A throwing listener does not stop the other listeners or the cleanup; its failure is logged.
   */
  @Test
  void leakListener_throws_othersCalledCleanupDoneFailureLogged() throws Exception {
    String name = unique("throwing-listener");
    Registration throwing =
        Lifecycle.addLeakListener(
            report -> {
              if (report.path().startsWith(name)) {
                throw new IllegalStateException("listener bug");
              }
            });
    try (LogCapture log = LogCapture.start();
        LeakCapture capture = LeakCapture.forPath(name)) {
      TestResource r = TestResource.of("r");
      dropScope(name, LeakLevel.ALL, r);
      awaitOne(capture, name);
      assertEquals(1, r.closeCount());
      assertEquals(1, log.records(Level.WARNING, "threw on a leak report").size());
      assertEquals(
          "listener bug",
          log.records(Level.WARNING, "threw on a leak report").get(0).getThrown().getMessage());
    } finally {
      throwing.close();
    }
  }

  /** A listener named in META-INF/services is found by ServiceLoader and called. */
  @Test
  void serviceLoadedListener_receivesReport() throws Exception {
    String name = unique(ServiceLoadedLeakListener.PREFIX);
    try (LeakCapture capture = LeakCapture.forPath(name)) {
      dropScope(name, LeakLevel.ALL, TestResource.of("r"));
      awaitOne(capture, name);
      assertTrue(
          ServiceLoadedLeakListener.LEAKS.stream().anyMatch(x -> x.path().equals(name)),
          ServiceLoadedLeakListener.LEAKS::toString);
    }
  }

  /** A report is logged at WARNING as readable multi-line text, and counted in snapshots. */
  @Test
  void report_loggedAtWarningAndCounted() throws Exception {
    String name = unique("logged");
    long leaksBefore = Lifecycle.snapshot().leakReports();
    try (LogCapture log = LogCapture.start();
        LeakCapture capture = LeakCapture.forPath(name)) {
      dropScope(name, LeakLevel.ALL, TestResource.of("r"));
      awaitOne(capture, name);
      List<String> messages = log.messages(Level.WARNING, "LEAK: scope " + name + " ");
      assertEquals(1, messages.size());
      String text = messages.get(0);
      assertTrue(text.contains("was dropped without close()"), text);
      assertTrue(text.contains("\n  still owned: LeakGcTest (lambda) x1, TestResource x1\n"), text);
      assertTrue(
          text.contains("\n  opened at:\n    io.lifecycle.core.LeakGcTest.dropScope("), text);
      assertTrue(text.contains("cleaned up: what it owned has been closed"), text);
    }
    assertTrue(Lifecycle.snapshot().leakReports() > leaksBefore);
  }

  /** A report is also recorded as the JFR event io.lifecycle.Leak. */
  @Test
  void report_recordedAsJfrEvent() throws Exception {
    String name = unique("jfr-leak");
    try (LeakCapture capture = LeakCapture.forPath(name)) {
      List<RecordedEvent> events =
          EventsTest.record(
              "io.lifecycle.Leak",
              () -> {
                dropScope(name, LeakLevel.ALL, TestResource.of("r"));
                try {
                  awaitOne(capture, name);
                } catch (InterruptedException e) {
                  throw new AssertionError(e);
                }
              });
      RecordedEvent e =
          events.stream()
              .filter(x -> name.equals(x.getString("path")))
              .findFirst()
              .orElseThrow(() -> new AssertionError(events.toString()));
      assertTrue(e.getString("owned").contains("TestResource x1"), e.getString("owned"));
      assertTrue(e.getString("site").contains("LeakGcTest.dropScope"), e.getString("site"));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers: each scope lives only in a helper's frame
  // ---------------------------------------------------------------------------------------------

  /** Opens a root (with its own level unless null) owning {@code r} and an action; drops it. */
  private static WeakReference<Scope> dropScope(String name, LeakLevel level, AutoCloseable r) {
    Scope.Builder b = Scope.builder(name);
    if (level != null) {
      b.leakLevel(level);
    }
    Scope scope = b.open();
    scope.own(r);
    scope.onClose(() -> {});
    return new WeakReference<>(scope);
  }

  private static void dropChild(Scope parent, String name, TestResource r) {
    Scope child = parent.child(name);
    child.own(r);
  }

  private static void dropSubtree(String name, TestResource[] rs, AtomicInteger actionRuns) {
    Scope root = Scope.builder(name).leakLevel(LeakLevel.ALL).open();
    root.own(rs[0]);
    Scope child = root.child("child");
    child.own(rs[1]);
    child.onClose(actionRuns::incrementAndGet);
    Scope grandchild = child.child("grandchild");
    grandchild.own(rs[2]);
  }

  private static Scope dropRootKeepChild(String name, TestResource r) {
    Scope root = Scope.builder(name).leakLevel(LeakLevel.ALL).open();
    Scope child = root.child("child");
    child.own(r);
    return child;
  }

  private static WeakReference<Scope> closeAndDrop(String name) {
    Scope scope = Scope.builder(name).leakLevel(LeakLevel.ALL).open();
    scope.own(TestResource.of("r"));
    scope.close();
    return new WeakReference<>(scope);
  }

  /** Runs cleanups until the report about {@code path} arrives; returns it. */
  static LeakReport awaitOne(LeakCapture capture, String path) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (true) {
      for (LeakReport r : capture.leaks()) {
        if (r.path().equals(path)) {
          assertNotNull(r.age());
          return r;
        }
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("no leak report for " + path + " within " + PATIENCE);
      }
      Lifecycle.awaitCleanup(ROUND);
    }
  }

  static boolean mentions(LeakReport report, String method) {
    return report.allocationSite().stream().anyMatch(e -> e.getMethodName().equals(method));
  }
}
