package io.lifecycle.core;

import static io.lifecycle.core.Internals.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.common.testing.GcFinalization;
import java.lang.ref.WeakReference;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A listener removed from a long-lived registry (by its registration or by its owner's close) is
 * collectable: the registry and stale registrations do not keep it (issue 2 req 8; DESIGN problem
 * 2, a signal object keeping every session's state alive).
 */
@Tag("gc")
@SuppressWarnings("MustBeClosedChecker") // scopes are closed explicitly
class ListenersGcTest {

  /** Stands for a session's state captured by its listener. */
  static final class SessionState {
    final byte[] payload = new byte[1024];
  }

  /** A listener whose owner closed is collectable while the registry lives on. */
  @Test
  void ownerClosed_listenerCollectable() {
    Listeners<Runnable> registry = Listeners.create(unique("room-tracks"));
    try (Scope app = Scope.open(unique("app"))) {
      WeakReference<SessionState> state = addInJob(registry, app);
      GcFinalization.awaitClear(state);
      assertEquals(0, registry.size());
    }
  }

  /**
   * A listener whose registration was closed is collectable even while that registration is held.
   */
  @Test
  void registrationClosed_listenerCollectableWhileRegistrationHeld() {
    Listeners<Runnable> registry = Listeners.create(unique("held"));
    try (Scope app = Scope.open(unique("app"))) {
      WeakReference<SessionState>[] state = newRef();
      Registration held = addAndRemove(registry, app, state);
      GcFinalization.awaitClear(state[0]);
      assertEquals(0, registry.size());
      held.close();
    }
  }

  /**
   * A removed listener is collectable while an earlier, also removed registration is held: stale
   * registrations do not chain to the listeners removed after them.
   */
  @Test
  void removedListener_collectableWhileEarlierRemovedRegistrationHeld() {
    Listeners<Runnable> registry = Listeners.create(unique("chain"));
    try (Scope app = Scope.open(unique("app"))) {
      Registration stale = registry.add(app, () -> {});
      WeakReference<SessionState>[] state = newRef();
      Registration second = addHolding(registry, app, state);
      registry.add(app, () -> {});
      stale.close(); // its successor then was the second
      second.close();
      second = null;
      GcFinalization.awaitClear(state[0]);
      assertEquals(1, registry.size());
      stale.cancel();
    }
  }

  /** A listener whose owner was dropped unclosed is removed by the safety net and collectable. */
  @Test
  void ownerLeaked_listenerRemovedAndCollectable() throws Exception {
    Listeners<Runnable> registry = Listeners.create(unique("leaked-owner"));
    String name = unique("leaked");
    try (LeakCapture capture = LeakCapture.forPath(name)) {
      WeakReference<SessionState> state = addInDroppedScope(registry, name);
      LeakReport report = LeakGcTest.awaitOne(capture, name);
      assertEquals(1, report.owned().get("ListenersGcTest (lambda)"));
      GcFinalization.awaitClear(state);
      assertEquals(0, registry.size());
      Lifecycle.awaitCleanup(Duration.ZERO);
    }
  }

  private static WeakReference<SessionState> addInJob(Listeners<Runnable> registry, Scope app) {
    SessionState s = new SessionState();
    try (Scope job = app.child("job")) {
      registry.add(job, () -> s.payload[0]++);
    }
    return new WeakReference<>(s);
  }

  private static Registration addAndRemove(
      Listeners<Runnable> registry, Scope app, WeakReference<SessionState>[] ref) {
    Registration r = addHolding(registry, app, ref);
    r.close();
    return r;
  }

  private static Registration addHolding(
      Listeners<Runnable> registry, Scope app, WeakReference<SessionState>[] ref) {
    SessionState s = new SessionState();
    ref[0] = new WeakReference<>(s);
    return registry.add(app, () -> s.payload[0]++);
  }

  private static WeakReference<SessionState> addInDroppedScope(
      Listeners<Runnable> registry, String name) {
    SessionState s = new SessionState();
    Scope scope = Scope.builder(name).leakLevel(LeakLevel.ALL).open();
    registry.add(scope, () -> s.payload[0]++);
    return new WeakReference<>(s);
  }

  @SuppressWarnings("unchecked")
  private static WeakReference<SessionState>[] newRef() {
    return new WeakReference[1];
  }
}
