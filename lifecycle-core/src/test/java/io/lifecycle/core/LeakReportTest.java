package io.lifecycle.core;

import static io.lifecycle.core.Internals.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link LeakReport}'s content and text, made here from live scopes without the collector (the GC
 * tests make real ones; issue 2 req 6).
 */
class LeakReportTest {

  /** A report lists path, site, thread, what the subtree owned, tasks, accesses, cleanup. */
  @Test
  void report_describesSubtree() {
    String name = unique("reported");
    try (Scope root = Scope.builder(name).leakLevel(LeakLevel.PARANOID).open();
        Scope job = root.child("job")) {
      root.own(TestResource.of("a"));
      job.own(TestResource.of("b"));
      job.onClose(() -> {});
      LeakReport r = new LeakReport(root.node, Inventory.of(root.node), null);
      assertEquals(name, r.path());
      assertEquals(name, r.name());
      assertEquals(1, r.descendantScopes());
      assertEquals(Map.of("TestResource", 2, "LeakReportTest (lambda)", 1), r.owned());
      assertTrue(r.tasks().isEmpty());
      assertEquals("report_describesSubtree", r.allocationSite().get(0).getMethodName());
      assertEquals(Thread.currentThread().getName(), r.openedOnThread().orElseThrow());
      assertTrue(r.accesses().stream().anyMatch(a -> a.startsWith("child job at ")), r::toString);
      assertTrue(r.cleanupFailure().isEmpty());
      assertTrue(
          r.summary()
              .matches(
                  java.util.regex.Pattern.quote(name)
                      + " \\(opened at LeakReportTest\\.report_describesSubtree:\\d+\\) still owned"
                      + " LeakReportTest \\(lambda\\) x1, TestResource x2, 1 scope"),
          r.summary());
      String text = r.toString();
      assertTrue(text.startsWith("LEAK: scope " + name + " was dropped without close() (age "));
      assertTrue(text.contains(", opened on thread " + Thread.currentThread().getName() + ")\n"));
      assertTrue(text.contains("\n  opened at:\n    io.lifecycle.core.LeakReportTest."), text);
      assertTrue(text.contains("\n  accessed: own at "), text);
      assertTrue(text.endsWith("  cleaned up: what it owned has been closed"), text);
      assertThrows(UnsupportedOperationException.class, () -> r.owned().clear());
    }
  }

  /** Without a captured site the text says how to capture one; a cleanup failure is shown. */
  @Test
  void report_noSiteAndCleanupFailure() {
    String name = unique("unsampled");
    try (Scope root = Scope.builder(name).leakLevel(LeakLevel.DISABLED).open()) {
      IOException failure = new IOException("cannot close");
      LeakReport r = new LeakReport(root.node, Inventory.of(root.node), failure);
      assertTrue(r.allocationSite().isEmpty());
      assertFalse(r.openedOnThread().isPresent());
      assertEquals(failure, r.cleanupFailure().orElseThrow());
      assertEquals(name + " still owned nothing", r.summary());
      assertTrue(
          r.toString()
              .contains(
                  "opened at: not captured (leak level DISABLED; run with"
                      + " -Dio.lifecycle.leakLevel=ALL to capture every site)"),
          r.toString());
      assertTrue(r.toString().endsWith("cleanup failed: java.io.IOException: cannot close"));
    }
  }

  /**
   * openedAtNanos() is the nanoTime reading taken when the reported scope opened, in a report made
   * by the leak path (the cleaner's processing of a scope found unreachable).
   */
  @Test
  @SuppressWarnings("MustBeClosedChecker") // closed by the leak path, which is the point
  void openedAtNanos_isTheOpenTime() {
    String name = unique("opened-at");
    try (LeakCapture capture = LeakCapture.forPath(name)) {
      long before = System.nanoTime();
      Scope scope = Scope.open(name);
      long after = System.nanoTime();
      Tracker.process(scope.node); // as if the collector had found the handle unreachable
      LeakReport r = capture.leaks().get(0);
      long at = r.openedAtNanos();
      assertTrue(at - before >= 0 && after - at >= 0, at + " not in [" + before + ", " + after + "]");
      assertFalse(scope.isOpen(), "the leak path closed it");
    }
  }
}
