package io.lifecycle.core;

import static io.lifecycle.core.Internals.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Eight threads own resources, register and cancel actions, and open and close children of one
 * parent while another thread closes the parent, for thousands of rounds: nothing is lost, nothing
 * is released twice (issue 2 req 9).
 */
class ScopeStressTest {
  private static final int WORKERS = 8;
  private static final int ROUNDS = 5_000;
  private static final int OPS = 12;

  /** An action whose runs are counted, and whether a cancel() of it returned true. */
  static final class CountedAction implements Cleanup {
    final AtomicInteger runs = new AtomicInteger();
    volatile boolean cancelled;

    @Override
    public void run() {
      runs.incrementAndGet();
    }
  }

  /** Every resource is closed exactly once and every action runs once unless it was cancelled. */
  @ParameterizedTest
  @EnumSource(ThreadKind.class)
  void ownCancelAndCloseChildren_racingParentClose_nothingLostNothingTwice(ThreadKind kind)
      throws Exception {
    CyclicBarrier start = new CyclicBarrier(WORKERS + 2);
    CyclicBarrier end = new CyclicBarrier(WORKERS + 2);
    ConcurrentLinkedQueue<TestResource> resources = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<CountedAction> actions = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
    Scope[] parent = new Scope[1];
    AtomicInteger refusals = new AtomicInteger();

    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < WORKERS; w++) {
      threads.add(
          kind.start(
              () -> {
                for (int round = 0; round < ROUNDS; round++) {
                  await(start);
                  try {
                    work(parent[0], resources, actions, refusals);
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
                try {
                  int spin = ThreadLocalRandom.current().nextInt(2_000);
                  for (int i = 0; i < spin; i++) {
                    Thread.onSpinWait();
                  }
                  parent[0].close();
                } catch (Throwable t) {
                  unexpected.add(t);
                }
                await(end);
              }
            }));

    for (int round = 0; round < ROUNDS; round++) {
      parent[0] = Scope.builder(unique("stress")).open();
      await(start);
      await(end);
      assertTrue(unexpected.isEmpty(), () -> "unexpected: " + unexpected);
      assertFalse(parent[0].isOpen());
      assertEquals(0, Internals.heldReferences(parent[0]), "a closed parent holds nothing");
      for (TestResource r : resources) {
        assertEquals(1, r.closeCount(), () -> r + " in a round");
      }
      for (CountedAction a : actions) {
        assertEquals(a.cancelled ? 0 : 1, a.runs.get(), "action run count");
      }
      resources.clear();
      actions.clear();
    }
    for (Thread t : threads) {
      t.join();
    }
    assertTrue(refusals.get() > 0, "the close never raced an offer; the test proves nothing");
  }

  /** One worker's round: random offers to the parent and to children it opens. */
  private static void work(
      Scope parent,
      ConcurrentLinkedQueue<TestResource> resources,
      ConcurrentLinkedQueue<CountedAction> actions,
      AtomicInteger refusals) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    List<Scope> children = new ArrayList<>();
    List<Registration> registrations = new ArrayList<>();
    List<CountedAction> registered = new ArrayList<>();
    for (int op = 0; op < OPS; op++) {
      try {
        switch (random.nextInt(6)) {
          case 0 -> {
            TestResource r = TestResource.of("parent-owned");
            resources.add(r);
            parent.own(r);
          }
          case 1 -> {
            CountedAction a = new CountedAction();
            actions.add(a);
            registrations.add(parent.onClose(a));
            registered.add(a);
          }
          case 2 -> {
            Scope child = parent.child("child");
            children.add(child);
            TestResource r = TestResource.of("child-owned");
            resources.add(r);
            child.own(r);
            CountedAction a = new CountedAction();
            actions.add(a);
            child.onClose(a);
          }
          case 3 -> {
            if (!children.isEmpty()) {
              children.remove(random.nextInt(children.size())).close();
            }
          }
          case 4 -> {
            if (!registrations.isEmpty()) {
              int i = random.nextInt(registrations.size());
              Registration r = registrations.remove(i);
              CountedAction a = registered.remove(i);
              if (r.cancel()) {
                a.cancelled = true;
              }
            }
          }
          default -> {
            if (!registrations.isEmpty()) {
              int i = random.nextInt(registrations.size());
              registrations.remove(i).close();
              registered.remove(i);
            }
          }
        }
      } catch (ScopeClosedException e) {
        refusals.incrementAndGet();
      }
    }
  }

  private static void await(CyclicBarrier barrier) {
    try {
      barrier.await();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
