package io.lifecycle.core;

import java.util.List;

/**
 * What a {@link ScopeNode} owns, in registration order, plus the state of its tasks and of the
 * threads waiting for its close. Created on the first {@code own}, {@code child}, {@code onClose}
 * or {@code fork}, so that a scope that owns nothing costs no more than its node.
 *
 * <p>Every field is guarded by the owning node's monitor, except {@link #waiters}, which the
 * closer also reads without it (see {@link ScopeNode}), and {@link #bounded} and {@link
 * #closeDeadline}, which only the closer writes.
 */
final class Children extends Slots {
  /**
   * Set when the owner's close takes the entries. From then on the closer alone reads the array;
   * entries that leave early (a child closing, a task finishing) no longer clear their slot.
   */
  boolean closing;

  /**
   * The thread closing the owner (set when the close takes the entries), so that a close of the
   * owner from that thread, or from a thread closing one of its descendants, is known to be
   * re-entrant. Written under the monitor.
   */
  Thread closer;

  /** The helper threads of a bounded close, for the same purpose; null when there are none. */
  List<Thread> helpers;

  /**
   * The end of the task grace of the close in progress; the inline closes of descendants made by
   * it share it, since the top of the close cancelled the tasks of the whole subtree at once.
   * Written by the closer before any release.
   */
  long graceDeadline;

  /** Threads waiting for another thread's close to finish: a stack, pushed under the lock. */
  volatile WaitNode waiters;

  /**
   * Whether the close in progress is bounded; then {@link #closeDeadline} is its deadline. Both
   * are written by the closer alone, without the monitor, before any release that reads them.
   */
  volatile boolean bounded;

  /** The {@link System#nanoTime()} deadline of a bounded close; written before {@link #bounded}. */
  long closeDeadline;

  /** The tasks' bookkeeping; null until the first fork. */
  TaskGroup tasks;

  /** A thread parked until a close finishes. */
  static final class WaitNode {
    final Thread thread;
    final WaitNode next;

    WaitNode(Thread thread, WaitNode next) {
      this.thread = thread;
      this.next = next;
    }
  }

  /** Returns whether {@code t} is the closer or a helper of the close in progress. */
  @SuppressWarnings("ReferenceEquality") // threads are compared by identity
  boolean isCloser(Thread t) {
    if (closer == t) {
      return true;
    }
    List<Thread> h = helpers;
    return h != null && h.contains(t);
  }

  /** Returns the task group, creating it for a first fork. Called with the owner's monitor held. */
  TaskGroup tasks(ScopeNode owner) {
    TaskGroup g = tasks;
    if (g == null) {
      tasks = g = new TaskGroup(owner);
    }
    return g;
  }
}
