package io.lifecycle.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Under JUnit's parallel execution, checked tests never run at the same time as each other: the
 * resource lock that {@link LeakCheck} carries.
 */
class LeakCheckParallelTest {
  private static final Map<String, String> PARALLEL =
      Map.of(
          "junit.jupiter.execution.parallel.enabled", "true",
          "junit.jupiter.execution.parallel.mode.default", "concurrent",
          "junit.jupiter.execution.parallel.mode.classes.default", "concurrent",
          "junit.jupiter.execution.parallel.config.strategy", "fixed",
          "junit.jupiter.execution.parallel.config.fixed.parallelism", "2");

  /** How many tests are inside {@link #meet}, and the most there ever were at once. */
  private static int inside;

  private static int mostInside;
  private static volatile CyclicBarrier barrier;

  @BeforeEach
  void reset() {
    synchronized (LeakCheckParallelTest.class) {
      inside = 0;
      mostInside = 0;
    }
  }

  /**
   * Waits for the other test of a pair at a barrier: two tests that can run concurrently meet
   * there; two that cannot each wait out {@code patienceMillis} alone.
   */
  static void meet(long patienceMillis) throws InterruptedException {
    synchronized (LeakCheckParallelTest.class) {
      inside++;
      mostInside = Math.max(mostInside, inside);
    }
    try {
      barrier.await(patienceMillis, TimeUnit.MILLISECONDS);
    } catch (TimeoutException | BrokenBarrierException alone) {
      // the other test is not running now
    } finally {
      synchronized (LeakCheckParallelTest.class) {
        inside--;
      }
    }
  }

  private static synchronized int mostInside() {
    return mostInside;
  }

  @LeakCheck
  static class CheckedA {
    @Test
    void a() throws InterruptedException {
      meet(300);
    }
  }

  @LeakCheck
  static class CheckedB {
    @Test
    void b() throws InterruptedException {
      meet(300);
    }
  }

  @LeakCheck
  static class CheckedPair {
    @Test
    void a() throws InterruptedException {
      meet(300);
    }

    @Test
    void b() throws InterruptedException {
      meet(300);
    }
  }

  static class UncheckedA {
    @Test
    void a() throws InterruptedException {
      meet(10_000);
    }
  }

  static class UncheckedB {
    @Test
    void b() throws InterruptedException {
      meet(10_000);
    }
  }

  @Test
  void checkedTests_runOneAtATime() {
    barrier = new CyclicBarrier(2);
    Kit.assertCounts(Kit.run(PARALLEL, CheckedA.class, CheckedB.class), 2, 0);
    assertEquals(1, mostInside());
  }

  @Test
  void testsOfOneCheckedClass_runOneAtATime() {
    barrier = new CyclicBarrier(2);
    Kit.assertCounts(Kit.run(PARALLEL, CheckedPair.class), 2, 0);
    assertEquals(1, mostInside());
  }

  /** The control: the same pair without the check does run concurrently here. */
  @Test
  void uncheckedTests_runConcurrently() {
    barrier = new CyclicBarrier(2);
    Kit.assertCounts(Kit.run(PARALLEL, UncheckedA.class, UncheckedB.class), 2, 0);
    assertEquals(2, mostInside());
  }
}
