package io.lifecycle.core;

import static io.lifecycle.core.Internals.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Several threads fork (and sometimes join) while another closes the scope, for thousands of
 * rounds, under both join policies and with bounded and unbounded closes: no task is left running,
 * a task that was refused or cancelled before it started never runs, and every task failure ends up
 * in a join's or the close's exception (issue 3 req 7).
 */
class ForkStressTest {
  private static final int FORKERS = 4;
  private static final int ROUNDS = 1_500;
  private static final int FORKS = 8;

  /** A forked task with what the test knows about it. */
  record Forked(Task<?> task, AtomicBoolean ran, Throwable failure) {}

  /** No task is left running and no failure is lost when forks race the close. */
  @ParameterizedTest
  @EnumSource(ThreadKind.class)
  void forkRacingClose_noTaskLeftNoFailureLost(ThreadKind kind) throws Exception {
    CyclicBarrier start = new CyclicBarrier(FORKERS + 2);
    CyclicBarrier end = new CyclicBarrier(FORKERS + 2);
    ConcurrentLinkedQueue<Forked> forked = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Throwable> reported = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
    AtomicInteger refused = new AtomicInteger();
    AtomicInteger failuresSeen = new AtomicInteger();
    AtomicInteger cancelledBeforeStart = new AtomicInteger();
    Scope[] scope = new Scope[1];
    CountDownLatch never = new CountDownLatch(1);

    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < FORKERS; w++) {
      threads.add(
          kind.start(
              () -> {
                for (int round = 0; round < ROUNDS; round++) {
                  await(start);
                  try {
                    fork(scope[0], never, forked, reported, refused);
                  } catch (Throwable t) {
                    unexpected.add(t);
                  }
                  await(end);
                }
              }));
    }
    threads.add(
        kind.start(
            () -> {
              for (int round = 0; round < ROUNDS; round++) {
                await(start);
                int spin = ThreadLocalRandom.current().nextInt(3_000);
                for (int i = 0; i < spin; i++) {
                  Thread.onSpinWait();
                }
                try {
                  scope[0].close();
                } catch (CloseFailedException e) {
                  collect(e, reported);
                } catch (Throwable t) {
                  unexpected.add(t);
                }
                await(end);
              }
            }));

    for (int round = 0; round < ROUNDS; round++) {
      Scope.Builder b =
          Scope.builder(unique("forks"))
              .joinPolicy(round % 2 == 0 ? JoinPolicy.FAIL_FAST : JoinPolicy.COLLECT_ALL);
      if (round % 3 == 0) {
        b.closeTimeout(Duration.ofSeconds(30));
      }
      scope[0] = b.open();
      await(start);
      await(end);

      assertTrue(unexpected.isEmpty(), () -> "unexpected: " + unexpected);
      assertFalse(scope[0].isOpen());
      Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
      seen.addAll(reported);
      Set<Throwable> failures = Collections.newSetFromMap(new IdentityHashMap<>());
      for (Forked f : forked) {
        TaskImpl<?> t = (TaskImpl<?>) f.task();
        assertNotEquals(Task.State.RUNNING, t.state(), "a task is left running");
        assertTrue(t.done, "a task's thread is still counted");
        if (t.state() == Task.State.FAILED) {
          failures.add(t.failure());
          assertTrue(seen.contains(t.failure()), () -> "lost: " + t.failure());
          failuresSeen.incrementAndGet();
        }
        if (t.state() == Task.State.SUCCEEDED) {
          assertTrue(f.ran().get());
        }
        if (t.thread == null) {
          assertFalse(f.ran().get(), "a fork refused after a fail-fast trip ran");
        } else if (t.state() == Task.State.CANCELLED && Internals.holdsBody(t)) {
          // its thread found it cancelled before taking the body
          assertFalse(f.ran().get(), "a task cancelled before it started ran");
          cancelledBeforeStart.incrementAndGet();
        }
      }
      for (Throwable r : reported) {
        assertTrue(failures.contains(r), () -> "reported what no task threw: " + r);
      }
      assertEquals(reported.size(), seen.size(), "a failure reported twice");
      assertEquals(0, Internals.heldReferences(scope[0]), "a closed scope holds nothing");
      forked.clear();
      reported.clear();
    }
    for (Thread t : threads) {
      t.join();
    }
    assertTrue(refused.get() > 0, "no fork raced the close; the test proves nothing");
    assertTrue(failuresSeen.get() > 0, "no task failed; the test proves nothing");
    assertTrue(cancelledBeforeStart.get() > 0, "no task was cancelled before it started");
  }

  /** One forker's round: forks that succeed, fail or wait for cancellation; sometimes a join. */
  private static void fork(
      Scope scope,
      CountDownLatch never,
      ConcurrentLinkedQueue<Forked> forked,
      ConcurrentLinkedQueue<Throwable> reported,
      AtomicInteger refused)
      throws InterruptedException {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < FORKS; i++) {
      AtomicBoolean ran = new AtomicBoolean();
      try {
        switch (random.nextInt(4)) {
          case 0 -> {
            IllegalStateException failure = new IllegalStateException("task failure");
            Task<Void> t =
                scope.fork(
                    () -> {
                      ran.set(true);
                      throw failure;
                    });
            forked.add(new Forked(t, ran, failure));
          }
          case 1 ->
              forked.add(
                  new Forked(
                      scope.fork(
                          () -> {
                            ran.set(true);
                            never.await();
                          }),
                      ran,
                      null));
          case 2 -> {
            try {
              scope.join(Duration.ofMillis(1));
            } catch (TaskFailedException e) {
              collect(e, reported);
            } catch (java.util.concurrent.TimeoutException e) {
              // the waiting tasks were cancelled: fine
            }
          }
          default -> forked.add(new Forked(scope.fork(() -> ran.getAndSet(true)), ran, null));
        }
      } catch (ScopeClosedException e) {
        refused.incrementAndGet();
      }
    }
  }

  /**
   * Exceptions already collected: every joiner of a failed round throws the same {@link
   * TaskFailedException}, which reports its failures once.
   */
  private static final Set<RuntimeException> COLLECTED =
      Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

  /** Adds the task failures carried by {@code e} (cause and suppressed) to {@code into}. */
  private static void collect(RuntimeException e, ConcurrentLinkedQueue<Throwable> into) {
    if (!COLLECTED.add(e)) {
      return;
    }
    if (e.getCause() != null) {
      into.add(e.getCause());
    }
    Collections.addAll(into, e.getSuppressed());
  }

  private static void await(CyclicBarrier barrier) {
    try {
      barrier.await();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
