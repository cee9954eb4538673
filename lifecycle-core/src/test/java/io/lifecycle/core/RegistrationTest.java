package io.lifecycle.core;

import static io.lifecycle.core.Internals.liveEntries;
import static io.lifecycle.core.Internals.slotCapacity;
import static io.lifecycle.core.Internals.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link Registration} of cleanup actions (issue 2 req 4). */
class RegistrationTest {

  /** close() runs the action at once and removes it from the owner, in constant time. */
  @Test
  void close_runsActionAndRemovesIt() {
    try (Scope scope = Scope.open(unique("owner"))) {
      AtomicInteger runs = new AtomicInteger();
      Registration r = scope.onClose(runs::incrementAndGet);
      assertEquals(1, liveEntries(scope));
      r.close();
      assertEquals(1, runs.get());
      assertEquals(0, liveEntries(scope));
      scope.close();
      assertEquals(1, runs.get());
    }
  }

  /** cancel() removes the action without running it, and returns true only the first time. */
  @Test
  void cancel_removesWithoutRunning() {
    try (Scope scope = Scope.open(unique("owner"))) {
      AtomicInteger runs = new AtomicInteger();
      Registration r = scope.onClose(runs::incrementAndGet);
      assertTrue(r.cancel());
      assertEquals(0, liveEntries(scope));
      assertFalse(r.cancel());
      r.close();
      scope.close();
      assertEquals(0, runs.get());
    }
  }

  /** close() is idempotent, and cancel() after close() does nothing and returns false. */
  @Test
  void close_idempotent() {
    try (Scope scope = Scope.open(unique("owner"))) {
      AtomicInteger runs = new AtomicInteger();
      Registration r = scope.onClose(runs::incrementAndGet);
      r.close();
      r.close();
      assertFalse(r.cancel());
      assertEquals(1, runs.get());
    }
  }

  /** After the owner closed (and ran the action), close() and cancel() do nothing. */
  @Test
  void close_afterOwnerClosed_doesNothing() {
    Scope scope = Scope.open(unique("owner"));
    AtomicInteger runs = new AtomicInteger();
    Registration r = scope.onClose(runs::incrementAndGet);
    scope.close();
    assertEquals(1, runs.get());
    r.close();
    assertFalse(r.cancel());
    assertEquals(1, runs.get());
  }

  /** A runtime exception from the action is thrown as is by close(). */
  @Test
  void close_actionThrowsRuntime_rethrown() {
    try (Scope scope = Scope.open(unique("owner"))) {
      IllegalStateException failure = new IllegalStateException("boom");
      Registration r =
          scope.onClose(
              () -> {
                throw failure;
              });
      assertSame(failure, assertThrows(IllegalStateException.class, r::close));
      assertEquals(0, liveEntries(scope));
    }
  }

  /** A checked exception from the action is thrown as the cause of a CloseFailedException. */
  @Test
  void close_actionThrowsChecked_wrappedInCloseFailed() {
    try (Scope scope = Scope.open(unique("owner"))) {
      IOException failure = new IOException("boom");
      Registration r =
          scope.onClose(
              () -> {
                throw failure;
              });
      CloseFailedException e = assertThrows(CloseFailedException.class, r::close);
      assertSame(failure, e.getCause());
    }
  }

  /** An InterruptedException from the action sets the interrupt flag of the closing thread. */
  @Test
  void close_actionThrowsInterrupted_flagSet() {
    try (Scope scope = Scope.open(unique("owner"))) {
      Registration r =
          scope.onClose(
              () -> {
                throw new InterruptedException();
              });
      CloseFailedException e = assertThrows(CloseFailedException.class, r::close);
      assertInstanceOf(InterruptedException.class, e.getCause());
      assertTrue(Thread.interrupted());
    }
  }

  /** Registrations closed in any order never grow a long-lived owner. */
  @Test
  void manyRegistrations_closedEarly_ownerDoesNotGrow() {
    try (Scope scope = Scope.open(unique("owner"))) {
      Registration[] window = new Registration[16];
      for (int i = 0; i < 100_000; i++) {
        int k = i % window.length;
        if (window[k] != null) {
          if (i % 2 == 0) {
            window[k].close();
          } else {
            window[k].cancel();
          }
        }
        window[k] = scope.onClose(() -> {});
      }
      assertEquals(16, liveEntries(scope));
      assertTrue(slotCapacity(scope) <= 64, "capacity " + slotCapacity(scope));
    }
  }

  /** toString names the action's type and owner. */
  @Test
  void toString_namesTypeAndOwner() {
    try (Scope scope = Scope.open(unique("owner"))) {
      Registration r = scope.onClose(() -> {});
      assertEquals("Registration[RegistrationTest (lambda) on " + scope.path() + "]", r.toString());
      r.close();
      assertTrue(r.toString().endsWith(", done]"), r.toString());
    }
  }
}
