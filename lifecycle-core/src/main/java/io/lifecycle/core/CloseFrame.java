package io.lifecycle.core;

/**
 * The scopes a thread is closing, innermost first: a close called on one of them (or on an
 * ancestor of one) from the same thread, such as an owned resource closing its own owner or a
 * cycle of scopes owning each other, returns at once instead of waiting for itself. A helper
 * thread of a bounded close starts with the frames of the thread it works for.
 */
final class CloseFrame {
  private static final ThreadLocal<CloseFrame> CURRENT = new ThreadLocal<>();

  final ScopeNode node;
  final CloseFrame outer;

  /**
   * The end of the task grace of the close this frame belongs to; the closes of descendants made
   * by it share it, since the top of the close cancelled the tasks of the whole subtree at once.
   */
  final long graceDeadline;

  private CloseFrame(ScopeNode node, CloseFrame outer, long graceDeadline) {
    this.node = node;
    this.outer = outer;
    this.graceDeadline = graceDeadline;
  }

  /** Pushes a frame for {@code node} on the current thread and returns it. */
  static CloseFrame push(ScopeNode node, long graceDeadline) {
    CloseFrame f = new CloseFrame(node, CURRENT.get(), graceDeadline);
    CURRENT.set(f);
    return f;
  }

  /** Pops this frame, which must be the current thread's innermost. */
  void pop() {
    CURRENT.set(outer);
  }

  /** Returns the current thread's innermost frame, or null. */
  static CloseFrame current() {
    return CURRENT.get();
  }

  /** Makes {@code frames} the current thread's frames (a helper thread starting work). */
  static void adopt(CloseFrame frames) {
    CURRENT.set(frames);
  }

}
