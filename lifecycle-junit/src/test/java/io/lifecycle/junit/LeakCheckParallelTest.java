package io.lifecycle.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Under JUnit's parallel execution, checked tests never run at the same time as each other: the
 * resource lock that {@link LeakCheck} carries.
 *
 * <p>Each fixture test enters {@link #meet}, counts itself in, and waits (bounded) until the other
 * test of its pair is inside too. Run at the same time, the two meet at once and the count
 * reaches 2; run one after the other, the first waits out its bound alone and the count stays 1.
 * The controls are the same fixtures with the same check, registered with {@code @ExtendWith}
 * instead of {@code @LeakCheck}, so without the lock: that they do reach 2, in the same
 * configuration, shows that only the lock keeps the checked ones apart.
 */
class LeakCheckParallelTest {
  private static final Map<String, String> PARALLEL =
      Map.of(
          "junit.jupiter.execution.parallel.enabled", "true",
          "junit.jupiter.execution.parallel.mode.default", "concurrent",
          "junit.jupiter.execution.parallel.mode.classes.default", "concurrent",
          "junit.jupiter.execution.parallel.config.strategy", "fixed",
          "junit.jupiter.execution.parallel.config.fixed.parallelism", "2");

  /** How long a test that must run alone waits for its partner: the cost of each locked run. */
  private static final long ALONE_MILLIS = 300;

  /** How long a test that may run concurrently waits for its partner; it meets it at once. */
  private static final long TOGETHER_MILLIS = 10_000;

  private static final AtomicInteger inside = new AtomicInteger();
  private static final AtomicInteger mostInside = new AtomicInteger();
  private static volatile CountDownLatch pair;

  @BeforeEach
  void reset() {
    inside.set(0);
    mostInside.set(0);
    pair = new CountDownLatch(2);
  }

  /** Counts the caller in, waits up to {@code boundMillis} for the other of its pair, leaves. */
  static void meet(long boundMillis) throws InterruptedException {
    mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
    try {
      pair.countDown();
      pair.await(boundMillis, TimeUnit.MILLISECONDS);
    } finally {
      inside.decrementAndGet();
    }
  }

  // The checked fixtures: @LeakCheck, and so its lock.

  @LeakCheck
  static class CheckedA {
    @Test
    void a() throws InterruptedException {
      meet(ALONE_MILLIS);
    }
  }

  @LeakCheck
  static class CheckedB {
    @Test
    void b() throws InterruptedException {
      meet(ALONE_MILLIS);
    }
  }

  @LeakCheck
  static class CheckedPair {
    @Test
    void a() throws InterruptedException {
      meet(ALONE_MILLIS);
    }

    @Test
    void b() throws InterruptedException {
      meet(ALONE_MILLIS);
    }
  }

  /** Not checked, but holding the lock, as the documentation advises for such tests. */
  @ResourceLock(LeakCheck.RUNTIME_LOCK)
  static class UncheckedWithTheLock {
    @Test
    void b() throws InterruptedException {
      meet(ALONE_MILLIS);
    }
  }

  // The controls: the same check, without the lock.

  @ExtendWith(LeakCheckExtension.class)
  static class UnlockedA {
    @Test
    void a() throws InterruptedException {
      meet(TOGETHER_MILLIS);
    }
  }

  @ExtendWith(LeakCheckExtension.class)
  static class UnlockedB {
    @Test
    void b() throws InterruptedException {
      meet(TOGETHER_MILLIS);
    }
  }

  @ExtendWith(LeakCheckExtension.class)
  static class UnlockedPair {
    @Test
    void a() throws InterruptedException {
      meet(TOGETHER_MILLIS);
    }

    @Test
    void b() throws InterruptedException {
      meet(TOGETHER_MILLIS);
    }
  }

  @Test
  void checkedTestsOfTwoClasses_neverOverlap() {
    Kit.assertCounts(Kit.run(PARALLEL, CheckedA.class, CheckedB.class), 2, 0);
    assertEquals(1, mostInside.get());
  }

  @Test
  void checkedTestsOfOneClass_neverOverlap() {
    Kit.assertCounts(Kit.run(PARALLEL, CheckedPair.class), 2, 0);
    assertEquals(1, mostInside.get());
  }

  @Test
  void uncheckedTestWithTheLock_neverOverlapsACheckedOne() {
    Kit.assertCounts(Kit.run(PARALLEL, CheckedA.class, UncheckedWithTheLock.class), 2, 0);
    assertEquals(1, mostInside.get());
  }

  /** The control: without the lock, the same tests of two classes do overlap. */
  @Test
  void control_withoutTheLock_testsOfTwoClassesOverlap() {
    Kit.assertCounts(Kit.run(PARALLEL, UnlockedA.class, UnlockedB.class), 2, 0);
    assertEquals(2, mostInside.get());
  }

  /** The control: without the lock, the same tests of one class do overlap. */
  @Test
  void control_withoutTheLock_testsOfOneClassOverlap() {
    Kit.assertCounts(Kit.run(PARALLEL, UnlockedPair.class), 2, 0);
    assertEquals(2, mostInside.get());
  }
}
