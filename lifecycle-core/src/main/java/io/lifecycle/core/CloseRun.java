package io.lifecycle.core;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Releases a run of entries, in order, on a helper thread of a bounded close, while the closing
 * thread watches the clock (see {@code ScopeNode.closeBounded}).
 *
 * <p>The watcher may {@linkplain #abandon() abandon} the run: the run then stops after the entry
 * it is on, whose eventual failure (if any) is logged rather than lost. Progress is published
 * under the run's monitor, so the watcher reads a consistent position and set of failures.
 */
final class CloseRun implements Runnable {
  private final ScopeNode owner;
  private final List<Object> items;
  private final CloseFrame frames;
  private final boolean background;
  private Thread watcher;

  @GuardedBy("this")
  private int next;

  /**
   * When the current entry's release started; until the first starts, when the run was made (an
   * entry whose helper never got to run has waited since then).
   */
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
  CloseRun(ScopeNode owner, List<Object> items, int from, CloseFrame frames, boolean background) {
    this.owner = owner;
    this.items = items;
    this.next = from;
    this.frames = frames;
    this.background = background;
    this.itemStartedAt = System.nanoTime();
  }

  void start(Thread thread) {
    this.watcher = Thread.currentThread();
    thread.start();
  }

  @Override
  public void run() {
    CloseFrame.adopt(frames);
    while (true) {
      Object item;
      int index;
      synchronized (this) {
        if (stop || next >= items.size()) {
          finished = true;
          break;
        }
        index = next;
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
        next = index + 1;
      }
      if (late && failure != null) {
        Reporter.lateFailure(owner.path(), ScopeNode.describe(item), failure);
      }
    }
    LockSupport.unpark(watcher);
  }

  /** Waits until the run finished or {@code deadline} passed; returns whether it finished. */
  boolean awaitFinished(long deadline) {
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
    }
  }

  /**
   * Stops the run after the entry it is on and returns that entry's index, or -1 if the run has
   * already released everything.
   */
  synchronized int abandon() {
    if (finished || next >= items.size()) {
      return -1;
    }
    stop = true;
    abandonedAt = next;
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
