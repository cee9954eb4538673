package io.lifecycle.core;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@link LeakListener}: a functional interface with a do-nothing onStuck, registered in code or
 * found by ServiceLoader (delivery is tested in LeakGcTest and LifecycleTest; issue 2 req 6).
 */
class LeakListenerTest {

  /** A lambda is a LeakListener; its default onStuck does nothing; its registration removes it. */
  @Test
  void lambda_defaultOnStuckDoesNothing() {
    LeakListener l = report -> {};
    l.onStuck(StuckReport.of(StuckReport.Kind.CLOSE, "x", "", Duration.ZERO, null));
    Registration r = Lifecycle.addLeakListener(l);
    assertTrue(r.cancel());
    assertFalse(r.cancel());
    r.close();
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
