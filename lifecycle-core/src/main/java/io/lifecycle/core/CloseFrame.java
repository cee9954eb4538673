package io.lifecycle.core;

/**
 * The scopes a thread is closing, innermost first: a close called on one of them from the same
 * thread (an owned resource closing its own owner, a cycle of scopes owning each other) returns at
 * once instead of waiting for itself. A helper thread of a bounded close starts with the frames of
 * the thread it works for.
 */
final class CloseFrame {
  private static final ThreadLocal<CloseFrame> CURRENT = new ThreadLocal<>();

  final ScopeNode node;
  final CloseFrame outer;

  private CloseFrame(ScopeNode node, CloseFrame outer) {
    this.node = node;
    this.outer = outer;
  }

  /** Pushes a frame for {@code node} on the current thread and returns it. */
  static CloseFrame push(ScopeNode node) {
    CloseFrame f = new CloseFrame(node, CURRENT.get());
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

  /** Returns whether the current thread is closing {@code node}. */
  static boolean isClosing(ScopeNode node) {
    for (CloseFrame f = CURRENT.get(); f != null; f = f.outer) {
      if (f.node == node) {
        return true;
      }
    }
    return false;
  }
}
