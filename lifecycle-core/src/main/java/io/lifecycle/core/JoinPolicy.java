package io.lifecycle.core;

/**
 * What {@link Scope#join()} does when a task fails. Set with {@link
 * Scope.Builder#joinPolicy(JoinPolicy)}.
 */
public enum JoinPolicy {
  /**
   * The default: the first failure cancels (interrupts) the other running tasks of the scope, and
   * {@code join} throws at once. Until that {@code join} returns, a fork returns a task that is
   * already {@linkplain Task.State#CANCELLED cancelled} and never runs.
   */
  FAIL_FAST,
  /** Every task runs to its end; {@code join} then throws if any failed, with every failure. */
  COLLECT_ALL
}
