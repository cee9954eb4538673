package io.lifecycle.core;

import java.util.concurrent.ThreadFactory;

/**
 * The options of a scope made by {@link Scope.Builder}; scopes opened with {@link Scope#open} share
 * {@link #DEFAULT}. Immutable.
 */
final class ScopeConfig {
  static final ScopeConfig DEFAULT =
      new ScopeConfig(
          Settings.CLOSE_TIMEOUT_NANOS, Settings.TASK_GRACE_NANOS, null, JoinPolicy.FAIL_FAST, null);

  /** The bound of {@code close()}, or -1 for an unbounded inline close. */
  final long closeTimeoutNanos;
  /** How long a close waits for cancelled tasks before closing resources. */
  final long taskGraceNanos;
  /** Makes the threads of forked tasks; null for virtual threads named after the scope path. */
  final ThreadFactory threadFactory;
  /** What join does when a task fails. */
  final JoinPolicy joinPolicy;
  /** The scope's own leak level, inherited by its children; null for the runtime-wide level. */
  final LeakLevel leakLevel;
  /** The config of the scopes opened with {@link Scope#child}: only the leak level carries. */
  final ScopeConfig childConfig;

  ScopeConfig(
      long closeTimeoutNanos,
      long taskGraceNanos,
      ThreadFactory threadFactory,
      JoinPolicy joinPolicy,
      LeakLevel leakLevel) {
    this.closeTimeoutNanos = closeTimeoutNanos;
    this.taskGraceNanos = taskGraceNanos;
    this.threadFactory = threadFactory;
    this.joinPolicy = joinPolicy;
    this.leakLevel = leakLevel;
    if (leakLevel == null) {
      this.childConfig = DEFAULT == null ? this : DEFAULT;
    } else if (closeTimeoutNanos == Settings.CLOSE_TIMEOUT_NANOS
        && taskGraceNanos == Settings.TASK_GRACE_NANOS
        && threadFactory == null
        && joinPolicy == JoinPolicy.FAIL_FAST) {
      this.childConfig = this;
    } else {
      this.childConfig =
          new ScopeConfig(
              Settings.CLOSE_TIMEOUT_NANOS,
              Settings.TASK_GRACE_NANOS,
              null,
              JoinPolicy.FAIL_FAST,
              leakLevel);
    }
  }

  boolean bounded() {
    return closeTimeoutNanos >= 0;
  }
}
