package io.lifecycle.core;

import static io.lifecycle.core.Internals.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * {@link LeakListener}: a functional interface with a do-nothing onStuck, registered in code or
 * found by ServiceLoader (delivery is tested in LeakGcTest and LifecycleTest; issue 2 req 6).
 */
class LeakListenerTest {

  /**
   * A lambda is a LeakListener: registered, it receives leak reports, while stuck reports reach
   * only its default onStuck, which ignores them; once its registration is cancelled (cancel()
   * returns true once) it receives nothing.
   */
  @Test
  @SuppressWarnings("MustBeClosedChecker") // the scopes are closed by the leak path
  void lambda_receivesLeaksNotStucksUntilCancelled() {
    String name = unique("lambda-listener");
    List<LeakReport> received = new CopyOnWriteArrayList<>();
    LeakListener lambda =
        report -> {
          if (report.path().startsWith(name)) {
            received.add(report);
          }
        };
    Registration r = Lifecycle.addLeakListener(lambda);
    try {
      Lifecycle.reportStuck(
          StuckReport.of(StuckReport.Kind.OPERATION, "probe", name, Duration.ZERO, null));
      assertTrue(received.isEmpty(), "a stuck report reached onLeak");

      Scope first = Scope.open(name + "-first");
      Tracker.process(first.node); // the cleaner's handling of a scope found unreachable
      assertEquals(1, received.size());
      assertEquals(name + "-first", received.get(0).path());

      assertTrue(r.cancel());
      assertFalse(r.cancel());
      Scope second = Scope.open(name + "-second");
      Tracker.process(second.node);
      assertEquals(1, received.size(), "a cancelled listener still received a report");
      assertFalse(second.isOpen(), "the leak path still ran");
    } finally {
      r.close();
    }
  }

  /** A listener named in META-INF/services is loaded (once, on the first report). */
  @Test
  void serviceLoader_findsListenerNamedInServices() {
    Lifecycle.reportStuck(
        StuckReport.of(
            StuckReport.Kind.OPERATION,
            "probe",
            ServiceLoadedLeakListener.PREFIX,
            Duration.ZERO,
            null));
    assertTrue(
        ServiceLoadedLeakListener.STUCKS.stream()
            .anyMatch(s -> s.scopePath().equals(ServiceLoadedLeakListener.PREFIX)));
  }
}
