package io.lifecycle.core;

/**
 * Receives the reports of scopes dropped without being closed, and of closes, tasks and
 * operations that are stuck.
 *
 * <p>Register one with {@link Lifecycle#addLeakListener(LeakListener)}, or name it in {@code
 * META-INF/services/io.lifecycle.core.LeakListener} to have it found by {@link
 * java.util.ServiceLoader} when the first report is made.
 *
 * <p><b>Warning:</b> methods are called on the library's cleaner thread, on a thread calling
 * {@link Lifecycle#awaitCleanup}, or on a closing thread, possibly concurrently; they should be
 * quick and must not block. An exception thrown by a listener is logged at WARNING and does not
 * stop the other listeners or the cleanup.
 */
@FunctionalInterface
public interface LeakListener {
  /**
   * Called once for the topmost scope of a dropped subtree, after its safety-net cleanup.
   *
   * @param report what leaked, where it was opened, what it still owned
   */
  void onLeak(LeakReport report);

  /**
   * Called when a close, a task or an operation overran its bound. The default does nothing.
   *
   * @param report what was stuck, for how long, and the stuck thread's stack
   */
  default void onStuck(StuckReport report) {}
}
