package io.lifecycle.core;

import static io.lifecycle.core.Internals.unique;
import static io.lifecycle.core.ScopeTest.assertNpe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifecycle.core.ResourceAdapterTest.Handle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@link ReleaseContext}: what an adapter knows about the close it releases for (issue 3 req 5).
 */
class ReleaseContextTest {

  /**
   * The context names the scope, gives the default release timeout to an unbounded close and the
   * time left to a bounded one, and delivers stuck reports.
   */
  @Test
  void releaseContext_pathTimeoutAndReports() {
    String name = unique("context");
    AtomicReference<String> path = new AtomicReference<>();
    List<Duration> timeouts = new ArrayList<>();
    Registration r =
        Lifecycle.registerAdapter(
            new ResourceAdapter<Handle>() {
              @Override
              public Class<Handle> type() {
                return Handle.class;
              }

              @Override
              public void release(Handle resource, ReleaseContext context) {
                path.set(context.scopePath());
                timeouts.add(context.timeout());
                context.reportStuck("a part of the handle", null, Duration.ofMillis(5));
                assertNpe("what", () -> context.reportStuck(null, null, Duration.ZERO));
                assertThrows(
                    IllegalArgumentException.class,
                    () -> context.reportStuck("x", null, Duration.ofMillis(-1)));
              }
            });
    try (LeakCapture capture = LeakCapture.forPath(name)) {
      try (Scope scope = Scope.open(name)) {
        scope.own(new Handle());
      }
      try (Scope bounded = Scope.builder(name).closeTimeout(Duration.ofSeconds(2)).open()) {
        bounded.own(new Handle());
      }
      assertEquals(name, path.get());
      assertTrue(timeouts.get(0).compareTo(Duration.ofSeconds(5)) > 0, timeouts::toString);
      assertTrue(timeouts.get(0).compareTo(Duration.ofSeconds(10)) <= 0, timeouts::toString);
      assertTrue(timeouts.get(1).compareTo(Duration.ofSeconds(2)) <= 0, timeouts::toString);
      assertEquals(2, capture.stucks().size());
      StuckReport report = capture.stucks().get(0);
      assertEquals(StuckReport.Kind.CLOSE, report.kind());
      assertEquals("a part of the handle", report.what());
      assertTrue(report.stackTrace().isEmpty());
    } finally {
      r.close();
    }
  }
}
