package io.lifecycle.core;

import static io.lifecycle.core.Internals.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link Listeners#forEach} runs while other threads add and remove listeners (by registration and
 * by closing owners): every stable listener is called exactly once per pass, no listener more than
 * once, nothing throws (issue 2 req 8).
 */
class ListenersStressTest {
  private static final int STABLE = 16;
  private static final int CHURNERS = 4;

  /**
   * One busy firing thread: on virtual threads, busy loops on as many threads as there are carriers
   * (2 here) would keep the churners that a monitor hand-off made runnable from being mounted at
   * all.
   */
  private static final int FIRERS = 1;

  private static final int OPS = 30_000;

  /** A listener; stable ones must be seen by every pass. */
  record Listener(boolean stable) {}

  /** forEach concurrent with additions and removals sees a consistent registry. */
  @ParameterizedTest
  @EnumSource(ThreadKind.class)
  void forEach_concurrentAddAndRemove_stableListenersSeenOncePerPass(ThreadKind kind)
      throws Exception {
    Listeners<Listener> listeners =
        Listeners.builder(unique("stress")).warnThreshold(1 << 20).build();
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    AtomicBoolean done = new AtomicBoolean();
    AtomicLong passes = new AtomicLong();
    try (Scope app = Scope.open(unique("app"))) {
      for (int i = 0; i < STABLE; i++) {
        listeners.add(app, new Listener(true));
      }
      CountDownLatch churned = new CountDownLatch(CHURNERS);
      List<Thread> threads = new ArrayList<>();
      for (int c = 0; c < CHURNERS; c++) {
        threads.add(
            kind.start(
                () -> {
                  try {
                    churn(app, listeners);
                  } catch (Throwable t) {
                    failures.add(t);
                  } finally {
                    churned.countDown();
                  }
                }));
      }
      for (int f = 0; f < FIRERS; f++) {
        threads.add(
            kind.start(
                () -> {
                  try {
                    do {
                      Map<Listener, Integer> seen = new IdentityHashMap<>();
                      listeners.forEach(l -> seen.merge(l, 1, Integer::sum));
                      long stable = 0;
                      for (Map.Entry<Listener, Integer> e : seen.entrySet()) {
                        if (e.getValue() != 1) {
                          throw new AssertionError(
                              e.getKey() + " called " + e.getValue() + " times");
                        }
                        if (e.getKey().stable()) {
                          stable++;
                        }
                      }
                      if (stable != STABLE) {
                        throw new AssertionError("a pass saw " + stable + " stable listeners");
                      }
                      passes.incrementAndGet();
                      Thread.yield();
                    } while (!done.get());
                  } catch (Throwable t) {
                    failures.add(t);
                  }
                }));
      }
      churned.await();
      done.set(true);
      for (Thread t : threads) {
        t.join();
      }
      assertTrue(failures.isEmpty(), () -> "failures: " + failures);
      assertTrue(passes.get() > 0);
      assertEquals(STABLE, listeners.size());
    }
    assertEquals(0, listeners.size());
  }

  /** Adds transient listeners and removes them by close, cancel, or closing their owner. */
  private static void churn(Scope app, Listeners<Listener> listeners) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    Scope job = app.child("job");
    List<Registration> live = new ArrayList<>();
    for (int i = 0; i < OPS; i++) {
      if ((i & 63) == 0) {
        Thread.yield(); // interleave with the firing threads, also on virtual threads
      }
      switch (random.nextInt(5)) {
        case 0, 1 -> live.add(listeners.add(job, new Listener(false)));
        case 2 -> {
          if (!live.isEmpty()) {
            live.remove(random.nextInt(live.size())).close();
          }
        }
        case 3 -> {
          if (!live.isEmpty()) {
            live.remove(0).cancel();
          }
        }
        default -> {
          if (random.nextInt(20) == 0) {
            job.close();
            live.clear();
            job = app.child("job");
          }
        }
      }
    }
    job.close();
  }
}
