package io.lifecycle.core;

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

  /** Returns the task group, creating it for a first fork. Called with the owner's monitor held. */
  TaskGroup tasks(ScopeNode owner) {
    TaskGroup g = tasks;
    if (g == null) {
      tasks = g = new TaskGroup(owner);
    }
    return g;
  }
}
