package io.lifecycle.core;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Live counts by key, with a bounded key set: the diagnostics can never become a leak.
 *
 * <p>Implementation notes: at most {@link #MAX_KEYS} keys have their own count; past that, new
 * keys are counted under {@link #OTHER}. A key whose count falls to zero gives its slot back the
 * next time the table is pruned (when a snapshot is taken, or when a new key finds the table
 * full, at most every 100 ms). Counting in is lock-free: look the count up, add one, then check that it was not retired
 * meanwhile. Pruning and the creation of keys take the prune lock, which counting never takes on
 * its fast path. A pruner retires a zero count, then reads it again: a thread that counted in
 * without seeing the retirement did so before it (both are volatile), so the second read sees it
 * and the count is kept; a thread that sees the retirement waits for the pruner on the lock and
 * then moves to the key's current count (or puts its retired count back). Counting out always
 * goes to the count that was counted into, so no count is ever lost or negative.
 */
final class CounterTable {
  static final int MAX_KEYS = 1024;
  static final String OTHER = "(other)";

  private final ConcurrentHashMap<String, LiveCount> counts = new ConcurrentHashMap<>();
  private final LiveCount other = new LiveCount(OTHER);
  private final Object pruneLock = new Object();

  /**
   * A full table is pruned at most this often when new keys arrive, so that a flood of distinct
   * names (a bug the table exists to survive) costs a lock-free check, not a walk under a lock.
   */
  private static final long PRUNE_INTERVAL_NANOS = 100_000_000L;

  /** When the table was last pruned; written under the prune lock. */
  private volatile long lastPrune = System.nanoTime() - PRUNE_INTERVAL_NANOS;

  /** Counts one in under {@code key} and returns the count to count it out of later. */
  LiveCount increment(String key) {
    LiveCount c = counts.get(key);
    if (c == null) {
      c = create(key);
    }
    c.increment();
    if (c.retired) {
      c = moveFromRetired(key, c);
    }
    return c;
  }

  /** Returns the count that a thing counted in under {@code key} is in; see {@link #increment}. */
  LiveCount current(String key) {
    LiveCount c = counts.get(key);
    return c == null ? other : c;
  }

  /** Returns whether {@code c} is the overflow count. */
  boolean isOther(LiveCount c) {
    return c == other;
  }

  private LiveCount create(String key) {
    if (counts.size() >= MAX_KEYS && System.nanoTime() - lastPrune < PRUNE_INTERVAL_NANOS) {
      return other; // full, and pruned a moment ago: no lock, no walk, on this path
    }
    synchronized (pruneLock) {
      LiveCount c = counts.get(key);
      if (c != null) {
        return c;
      }
      if (counts.size() >= MAX_KEYS) {
        if (System.nanoTime() - lastPrune >= PRUNE_INTERVAL_NANOS) {
          pruneLocked();
        }
        if (counts.size() >= MAX_KEYS) {
          return other;
        }
      }
      c = new LiveCount(key);
      counts.put(key, c);
      return c;
    }
  }

  LiveCount moveFromRetired(String key, LiveCount retired) {
    synchronized (pruneLock) {
      LiveCount current = counts.get(key);
      if (current == retired) {
        return retired; // the pruner kept it
      }
      if (current == null && counts.size() < MAX_KEYS) {
        retired.retired = false;
        counts.put(key, retired);
        return retired;
      }
      LiveCount target = current == null ? other : current;
      retired.decrement();
      target.increment();
      return target;
    }
  }

  /** Drops the keys whose count is zero. */
  void prune() {
    synchronized (pruneLock) {
      pruneLocked();
    }
  }

  @GuardedBy("pruneLock")
  private void pruneLocked() {
    lastPrune = System.nanoTime();
    for (Map.Entry<String, LiveCount> e : counts.entrySet()) {
      LiveCount c = e.getValue();
      if (c.sum() == 0) {
        c.retired = true;
        if (c.sum() == 0) {
          counts.remove(e.getKey(), c);
        } else {
          c.retired = false;
        }
      }
    }
  }

  /** Returns the non-zero counts, sorted by key, with the overflow count last if non-zero. */
  Map<String, Long> read() {
    Map<String, Long> out = new TreeMap<>();
    for (LiveCount c : counts.values()) {
      long n = c.sum();
      if (n != 0) {
        out.put(c.key, n);
      }
    }
    long o = other.sum();
    if (o != 0) {
      out.put(OTHER, o);
    }
    return out;
  }

  /** Returns the number of keys that have their own count (for tests). */
  int keys() {
    return counts.size();
  }
}
