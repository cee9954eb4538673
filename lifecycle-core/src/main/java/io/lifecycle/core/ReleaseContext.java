package io.lifecycle.core;

import java.time.Duration;

/**
 * What a {@link ResourceAdapter} knows about the close it releases a resource for.
 *
 * <p>Valid only during the {@link ResourceAdapter#release} call it is passed to.
 */
public sealed interface ReleaseContext permits ReleaseContextImpl {
  /** Returns the path of the scope that owned the resource. */
  String scopePath();

  /**
   * Returns how long the release may wait: the time left before the scope's close deadline, or
   * {@code io.lifecycle.releaseTimeout} (default 10 seconds) for a scope without a close timeout.
   */
  Duration timeout();

  /**
   * Reports something the release had to give up on, to the {@link LeakListener}s, the logger
   * and JFR.
   *
   * @param what a short description, such as {@code "executor task"}
   * @param thread the stuck thread, or {@code null} when unknown
   * @param waited how long the release waited for it
   */
  void reportStuck(String what, Thread thread, Duration waited);
}
