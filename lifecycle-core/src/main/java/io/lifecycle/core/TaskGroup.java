package io.lifecycle.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.LockSupport;

/**
 * The bookkeeping of the tasks forked into one scope: how many threads still run, the failures no
 * join has observed, and the threads waiting in {@code join} or {@code close}.
 *
 * <p>Every mutable field, and every method but {@link #factory()}'s caller-side use, is guarded by
 * the owning node's monitor: the node holds it ({@code synchronized (this)} in {@link ScopeNode})
 * around every access. Error Prone's {@code @GuardedBy} cannot name a lock held through another
 * object, so the rule is stated here instead of on each member.
 */
final class TaskGroup {
  /** Unobserved failures kept per scope; later ones are only counted, so a scope cannot grow. */
  static final int MAX_FAILURES = 64;

  private final ScopeNode owner;

  /** Tasks whose thread has not finished (including cancelled ones still winding down). */
  int running;

  /** Fail-fast: a failure cancelled this round; forks return cancelled tasks until a join. */
  volatile boolean tripped; // volatile: joiners poll it without the monitor

  /** Failed tasks no join (and no {@link Task#exception()}) has observed, oldest first. */
  final List<TaskImpl<?>> failures = new ArrayList<>();

  /** Failures past {@link #MAX_FAILURES}, counted only. */
  int droppedFailures;

  /**
   * Set once the close has taken the unobserved failures: a task failing after that (a task that
   * closed its own scope, then failed) is reported as it ends, not kept where nobody looks.
   */
  boolean collected;

  /** Join rounds ended so far; a joiner notes the round it waits in. */
  int round;

  /** The failure thrown for round {@link #failedRound}, for the other joiners of that round. */
  TaskFailedException roundFailure;

  volatile int failedRound = -1; // volatile: joiners poll it without the monitor

  /** Whether a fork refused after a fail-fast trip was logged in this round. */
  boolean refusalLogged;

  /** Threads in {@code join}: woken on a failure (fail-fast) or when their tasks are done. */
  final List<JoinWaiter> joiners = new ArrayList<>(2);

  /** A close waiting for the running count to fall to {@link #closeAllowed}, or null. */
  Thread closeWaiter;

  int closeAllowed;

  /** Makes task threads; created on the first fork. */
  private ThreadFactory factory;

  TaskGroup(ScopeNode owner) {
    this.owner = owner;
  }

  /** A thread waiting in {@code join} for the tasks that were running when it called. */
  static final class JoinWaiter {
    final Thread thread;

    /** The join round the waiter joined in. */
    final int round;

    /** Tasks of the snapshot not finished yet; guarded by the owner's monitor. */
    int remaining;

    /**
     * Set (under the monitor) when {@link #remaining} reaches zero; volatile, so that the joiner
     * polls it without taking the monitor that every finishing task takes.
     */
    volatile boolean done;

    JoinWaiter(Thread thread, int round, int remaining) {
      this.thread = thread;
      this.round = round;
      this.remaining = remaining;
      this.done = remaining == 0;
    }
  }

  ThreadFactory factory() {
    ThreadFactory f = factory;
    if (f == null) {
      ThreadFactory configured = owner.config.threadFactory;
      factory = f = configured != null ? configured : Thread.ofVirtual().name(owner.path()).factory();
    }
    return f;
  }

  /** Records an unobserved failure, keeping at most {@link #MAX_FAILURES}. */
  void recordFailure(TaskImpl<?> task) {
    if (failures.size() < MAX_FAILURES) {
      failures.add(task);
    } else {
      droppedFailures++;
    }
  }

  /** Wakes the joiners: a failure tripped the round, or a join timed out. */
  void wakeJoiners() {
    for (JoinWaiter w : joiners) {
      LockSupport.unpark(w.thread);
    }
  }

  /** Called when a task's thread finishes: counts it out and wakes whoever waits for it. */
  void finished(TaskImpl<?> task) {
    running--;
    task.joinDone();
    if (closeWaiter != null && running <= closeAllowed) {
      LockSupport.unpark(closeWaiter);
    }
  }
}
