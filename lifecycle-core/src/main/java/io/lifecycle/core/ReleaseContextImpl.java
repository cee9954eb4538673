package io.lifecycle.core;

import java.time.Duration;

/** The {@link ReleaseContext} of one release. */
final class ReleaseContextImpl implements ReleaseContext {
  private final ScopeNode owner;
  private final long deadline;

  ReleaseContextImpl(ScopeNode owner) {
    this.owner = owner;
    Children c = owner.children;
    long now = System.nanoTime();
    this.deadline =
        c != null && c.bounded
            ? c.closeDeadline
            : Checks.deadline(now, Settings.RELEASE_TIMEOUT_NANOS);
  }

  @Override
  public String scopePath() {
    return owner.path();
  }

  @Override
  public Duration timeout() {
    return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
  }

  @Override
  public void reportStuck(String what, Thread thread, Duration waited) {
    Checks.notNull(what, "what");
    Checks.notNegative(waited, "waited");
    Reporter.stuck(StuckReport.of(StuckReport.Kind.CLOSE, what, owner.path(), waited, thread));
  }
}
