package io.lifecycle.core;

import static io.lifecycle.core.Internals.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Registration close and cancel racing with the owner's close: the action runs at most once. */
class RegistrationStressTest {
  private static final int ROUNDS = 5_000;

  /**
   * In each round one thread closes the registration, one cancels it and one closes the owner: the
   * action runs exactly once unless the cancel won, and never twice.
   */
  @ParameterizedTest
  @EnumSource(ThreadKind.class)
  void closeCancelAndOwnerClose_race_actionRunsAtMostOnce(ThreadKind kind) throws Exception {
    CyclicBarrier start = new CyclicBarrier(3);
    int cancelled = 0;
    for (int round = 0; round < ROUNDS; round++) {
      Scope scope = Scope.builder(unique("race")).open();
      AtomicInteger runs = new AtomicInteger();
      Registration r = scope.onClose(runs::incrementAndGet);
      AtomicInteger cancelWon = new AtomicInteger();
      Thread a = kind.start(() -> awaitThen(start, r::close));
      Thread b = kind.start(() -> awaitThen(start, () -> cancelWon.set(r.cancel() ? 1 : 0)));
      Thread c = kind.start(() -> awaitThen(start, scope::close));
      a.join();
      b.join();
      c.join();
      assertEquals(1 - cancelWon.get(), runs.get(), "round " + round);
      assertEquals(0, Internals.heldReferences(scope), "a closed scope holds nothing");
      cancelled += cancelWon.get();
    }
    assertTrue(cancelled <= ROUNDS);
  }

  static void awaitThen(CyclicBarrier barrier, Runnable action) {
    try {
      barrier.await();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    action.run();
  }
}
