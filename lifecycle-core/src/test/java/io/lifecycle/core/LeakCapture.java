package io.lifecycle.core;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link LeakListener} registered for the duration of a test that keeps the reports about scopes
 * whose path starts with a prefix (other tests' reports are ignored).
 */
final class LeakCapture implements LeakListener, AutoCloseable {
  private final String prefix;
  private final List<LeakReport> leaks = new CopyOnWriteArrayList<>();
  private final List<StuckReport> stucks = new CopyOnWriteArrayList<>();
  private final Registration registration;

  private LeakCapture(String prefix) {
    this.prefix = prefix;
    this.registration = Lifecycle.addLeakListener(this);
  }

  static LeakCapture forPath(String prefix) {
    return new LeakCapture(prefix);
  }

  @Override
  public void onLeak(LeakReport report) {
    if (report.path().startsWith(prefix)) {
      leaks.add(report);
    }
  }

  @Override
  public void onStuck(StuckReport report) {
    if (report.scopePath().startsWith(prefix)) {
      stucks.add(report);
      synchronized (this) {
        notifyAll();
      }
    }
  }

  /**
   * Waits until a stuck report whose description contains {@code text} arrives (reports of an
   * abandoned release may arrive after the close returned), woken by the listener; returns it.
   */
  synchronized StuckReport awaitStuck(String text) throws InterruptedException {
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
    while (true) {
      for (StuckReport r : stucks) {
        if (r.what().contains(text)) {
          return r;
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("no stuck report containing \"" + text + "\": " + stucks);
      }
      wait(Math.max(1, left / 1_000_000));
    }
  }

  List<LeakReport> leaks() {
    return List.copyOf(leaks);
  }

  List<StuckReport> stucks() {
    return List.copyOf(stucks);
  }

  @Override
  public void close() {
    registration.close();
  }
}
