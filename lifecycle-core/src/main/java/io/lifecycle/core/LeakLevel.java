package io.lifecycle.core;

/**
 * How much the runtime spends on finding scopes that are dropped without being closed.
 *
 * <p>The level is read when a scope opens: changing it affects scopes opened afterwards. It is set
 * runtime-wide with {@link Lifecycle#leakLevel(LeakLevel)} or the system property {@code
 * io.lifecycle.leakLevel}, and per scope with {@link Scope.Builder#leakLevel(LeakLevel)}. Live
 * counters ({@link Lifecycle#snapshot()}) stay on at every level.
 */
public enum LeakLevel {
  /**
   * No tracking through the garbage collector: a dropped scope is never reported or cleaned, and
   * the library keeps no reference to a root scope at this level (dropped, it is simply
   * collected), so {@link Lifecycle#openScopes()}, {@link Lifecycle#dump()} and the report at JVM
   * exit do not list such roots. The live counters of {@link Lifecycle#snapshot()} still count
   * them.
   */
  DISABLED,
  /**
   * The default: every scope is tracked through the garbage collector; the allocation site is
   * captured for one scope in {@code io.lifecycle.samplingInterval} (default 128).
   */
  SAMPLED,
  /** Every scope is tracked and carries its allocation site. */
  ALL,
  /** {@link #ALL}, plus a record of the latest accesses (own, child, fork) to each scope. */
  PARANOID;

  /** Returns whether scopes opened at this level are tracked through the garbage collector. */
  boolean tracked() {
    return this != DISABLED;
  }
}
