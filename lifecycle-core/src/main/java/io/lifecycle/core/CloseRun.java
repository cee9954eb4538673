package io.lifecycle.core;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Releases a run of entries, in order, on a helper thread of a bounded close, while the closing
 * thread watches the clock (see {@code ScopeNode.closeBounded}).
 *
 * <p>The watcher may {@linkplain #abandon() abandon} the run. If an entry's release is in
 * progress, the run stops after it, and that entry's eventual failure (if any) is logged rather
 * than lost; if none is (the helper has not been scheduled yet, or is between two entries), the
 * run stops before taking another, and the watcher hands the rest to a fresh run, so no entry is
 * ever skipped. Progress is published under the run's monitor, so the watcher reads a consistent
 * position and set of failures.
 */
final class CloseRun implements Runnable {
  /** {@link #abandon()}: the run had released everything. */
  static final int FINISHED = -1;

  /** {@link #abandon()}: no release was in progress; resume at {@link #resumeAt()}. */
  static final int NOT_STARTED = -2;

  /** {@link #abandonUnlessStartedAfter}: the release in progress started late; not stopped. */
  static final int STARTED_LATE = -3;

  private final ScopeNode owner;
  private final List<Object> items;
  private final boolean background;
  private Thread watcher;

  /** The next entry to take. */
  @GuardedBy("this")
  private int next;

  /** The entry whose release is in progress, or -1. */
  @GuardedBy("this")
  private int current = -1;

  /** When the current entry's release started. */
  @GuardedBy("this")
  private long itemStartedAt;

  @GuardedBy("this")
  private boolean stop;

  @GuardedBy("this")
  private boolean finished;

  @GuardedBy("this")
  private int abandonedAt = -1;

  @GuardedBy("this")
  private final List<Throwable> failures = new ArrayList<>(0);

  @GuardedBy("this")
  private int released;

  @GuardedBy("this")
  private int failed;

  @GuardedBy("this")
  private boolean interrupted;

  /**
   * @param background whether nobody waits for this run: its failures are then logged
   */
  CloseRun(ScopeNode owner, List<Object> items, int from, boolean background) {
    this.owner = owner;
    this.items = items;
    this.next = from;
    this.background = background;
  }

  void start(Thread thread) {
    this.watcher = Thread.currentThread();
    thread.start();
  }

  @Override
  public void run() {
    while (true) {
      Object item;
      int index;
      synchronized (this) {
        if (stop || next >= items.size()) {
          finished = true;
          break;
        }
        index = next;
        current = index;
        item = items.get(index);
        itemStartedAt = System.nanoTime();
      }
      Throwable failure = null;
      try {
        ScopeNode.releaseEntry(item, owner);
      } catch (Throwable t) {
        failure = t;
      }
      boolean wasInterrupted = Thread.interrupted();
      boolean late;
      synchronized (this) {
        late = background || abandonedAt == index;
        if (!late) {
          released++;
          if (failure != null) {
            failed++;
            failures.add(failure);
          }
          interrupted |= wasInterrupted;
        }
        current = -1;
        next = index + 1;
      }
      if (late && failure != null) {
        Reporter.lateFailure(owner.path(), ScopeNode.describe(item), failure);
      }
    }
    LockSupport.unpark(watcher);
  }

  /**
   * Waits until the run finished or {@code deadline} passed; returns whether it finished. An
   * interrupt of the watcher is remembered in {@code f} (the close restores it at the end).
   */
  boolean awaitFinished(long deadline, Failures f) {
    while (true) {
      synchronized (this) {
        if (finished) {
          return true;
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      LockSupport.parkNanos(this, left);
      if (Thread.interrupted()) {
        f.interrupted = true;
      }
    }
  }

  /**
   * Stops the run. Returns the index of the entry whose release is in progress (abandoned: the
   * run stops after it), {@link #NOT_STARTED} if none is, or {@link #FINISHED}.
   */
  synchronized int abandon() {
    return abandon(false, 0);
  }

  /**
   * Like {@link #abandon()}, except that a release in progress that started after {@code since}
   * is spared: the run goes on, and {@link #STARTED_LATE} is returned.
   */
  synchronized int abandonUnlessStartedAfter(long since) {
    return abandon(true, since);
  }

  @GuardedBy("this")
  private int abandon(boolean spareLate, long since) {
    if (finished || (next >= items.size() && current < 0)) {
      return FINISHED;
    }
    if (spareLate && current >= 0 && itemStartedAt - since > 0) {
      return STARTED_LATE;
    }
    stop = true;
    if (current < 0) {
      return NOT_STARTED;
    }
    abandonedAt = current;
    return current;
  }

  /** After {@link #NOT_STARTED}: the first entry the run did not take. */
  synchronized int resumeAt() {
    return next;
  }

  synchronized long itemStartedAt() {
    return itemStartedAt;
  }

  /** Moves what the run collected so far into {@code f}. */
  synchronized void drainInto(Failures f) {
    f.released += released;
    f.failed += failed;
    for (Throwable t : failures) {
      f.add(t);
    }
    f.interrupted |= interrupted;
    released = 0;
    failed = 0;
    failures.clear();
  }
}
