package io.lifecycle.junit;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.lifecycle.core.LeakLevel;
import io.lifecycle.core.Lifecycle;

/**
 * Raises the runtime-wide leak level to at least {@link LeakLevel#ALL} while any check is active,
 * so that every scope a test opens carries its allocation site, and restores the level the first
 * check found when the last one ends. Counting holders keeps nested or overlapping checks (a
 * {@link LeakAssertions} block inside a {@code @LeakCheck} test) from restoring each other's
 * level in the wrong order. Thread-safe.
 */
final class LevelGuard {
  private LevelGuard() {}

  @GuardedBy("LevelGuard.class")
  private static int holders;

  /** The level before the first holder raised it. */
  @GuardedBy("LevelGuard.class")
  private static LeakLevel saved;

  /** Raises the level for one more holder; pair with {@link #lower()}. */
  static synchronized void raise() {
    LeakLevel current = Lifecycle.leakLevel();
    if (holders++ == 0) {
      saved = current;
    }
    if (current.compareTo(LeakLevel.ALL) < 0) {
      Lifecycle.leakLevel(LeakLevel.ALL);
    }
  }

  /** Ends one holder; the last one restores the level found by the first. */
  static synchronized void lower() {
    if (holders == 0) {
      throw new IllegalStateException("lower() without raise()");
    }
    if (--holders == 0) {
      Lifecycle.leakLevel(saved);
      saved = null;
    }
  }
}
