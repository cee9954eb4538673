package io.lifecycle.junit;

import static org.junit.jupiter.api.Assertions.assertFalse;

import io.lifecycle.core.Scope;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * What the leaking fixtures leave behind on purpose, kept here so that the test that ran them can
 * clean up: scopes held open, and threads parked until {@link #cleanUp()} releases them.
 */
final class Leftovers {
  private Leftovers() {}

  private static final List<Scope> SCOPES = new CopyOnWriteArrayList<>();
  private static final List<Thread> THREADS = new CopyOnWriteArrayList<>();
  private static volatile CountDownLatch release = new CountDownLatch(1);

  /** Keeps {@code scope} reachable (so it is reported open, not dropped) until clean-up. */
  static Scope hold(Scope scope) {
    SCOPES.add(scope);
    return scope;
  }

  /**
   * Starts a thread that parks in {@link #awaitRelease()} until clean-up, and returns once it is
   * parked there.
   */
  static Thread leak(Thread.Builder builder) throws InterruptedException {
    CountDownLatch running = new CountDownLatch(1);
    Thread t = builder.start(() -> awaitRelease(running));
    THREADS.add(t);
    running.await();
    awaitParked(t);
    return t;
  }

  /**
   * Returns once {@code t}, which has entered {@link #awaitRelease}, is parked in its timed wait
   * (so that its state and stack are those of the wait), or has ended.
   */
  static void awaitParked(Thread t) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    Thread.State s;
    while ((s = t.getState()) != Thread.State.TIMED_WAITING && s != Thread.State.TERMINATED) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(t + " did not park: " + s);
      }
      Thread.yield();
    }
  }

  /** Parks until clean-up (or an interrupt: a scope's close cancels its tasks). */
  static void awaitRelease() {
    awaitRelease(new CountDownLatch(0));
  }

  /** Counts {@code running} down, then parks until clean-up (or an interrupt). */
  static void awaitRelease(CountDownLatch running) {
    running.countDown();
    try {
      if (!release.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("nobody cleaned up the leftovers");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Releases and joins the parked threads, closes the held scopes. */
  static void cleanUp() throws InterruptedException {
    release.countDown();
    for (Thread t : THREADS) {
      assertFalse(!t.join(Duration.ofSeconds(10)) && t.isAlive(), () -> t + " did not end");
    }
    THREADS.clear();
    for (Scope s : SCOPES) {
      s.close();
    }
    SCOPES.clear();
    release = new CountDownLatch(1);
  }
}
