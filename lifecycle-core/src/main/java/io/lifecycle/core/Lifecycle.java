package io.lifecycle.core;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;

/**
 * The runtime: the leak level, leak listeners, resource adapters, and the diagnostics that show
 * what is open and what grows.
 *
 * <p>Diagnostics are the method calls that replace heap-dump diffing: {@link #snapshot()} counts
 * live scopes by name and owned resources by type (cheap, always on), {@link Snapshot#since}
 * shows what grew, {@link #openScopes()} and {@link #dump()} list the open scopes with their
 * owners, ages and allocation sites, and {@link #awaitCleanup(Duration)} lets tests and tools wait
 * for the collector to find dropped scopes instead of sleeping.
 *
 * <p>At JVM shutdown, the root scopes still open are logged once at WARNING (a service that never
 * closes its roots is told); set {@code io.lifecycle.reportOpenAtExit=false} to turn that off. With
 * the JDK's default logging backend (java.util.logging, which closes its handlers in a shutdown
 * hook of its own) that report is written to standard error directly, so that it is never lost.
 *
 * <p>All methods are static and thread-safe.
 */
public final class Lifecycle {
  private Lifecycle() {}

  private static final Object LEVEL_LOCK = new Object();

  private static volatile LeakLevel level = Settings.LEAK_LEVEL;

  static LeakLevel level() {
    return level;
  }

  /** Returns the runtime-wide leak level (initially {@code io.lifecycle.leakLevel}, or SAMPLED). */
  public static LeakLevel leakLevel() {
    return level;
  }

  /**
   * Sets the runtime-wide leak level for scopes opened from now on (scopes with their own level
   * keep it).
   *
   * @param newLevel the level
   * @return the previous level, to restore it
   */
  @CanIgnoreReturnValue
  public static LeakLevel leakLevel(LeakLevel newLevel) {
    Checks.notNull(newLevel, "newLevel");
    synchronized (LEVEL_LOCK) {
      LeakLevel previous = level;
      level = newLevel;
      return previous;
    }
  }

  /**
   * Registers a listener for leak and stuck reports, in addition to those found by {@link
   * java.util.ServiceLoader}.
   *
   * @param listener the listener; see {@link LeakListener} for the threads that call it
   * @return the registration; close it to remove the listener
   */
  @CanIgnoreReturnValue
  public static Registration addLeakListener(LeakListener listener) {
    Checks.notNull(listener, "listener");
    return Reporter.addListener(listener);
  }

  /**
   * Registers an adapter that tells scopes how to release a type (see {@link ResourceAdapter}).
   * It applies to resources released from now on, including those owned before.
   *
   * @param adapter the adapter
   * @return the registration; close it to remove the adapter
   */
  @CanIgnoreReturnValue
  public static Registration registerAdapter(ResourceAdapter<?> adapter) {
    return Adapters.register(adapter);
  }

  /**
   * Delivers a stuck report (from another lifecycle module, or a user's watchdog) to the {@link
   * LeakListener}s, the logger at WARNING and JFR.
   *
   * @param report the report
   */
  public static void reportStuck(StuckReport report) {
    Checks.notNull(report, "report");
    Reporter.stuck(report);
  }

  /**
   * Returns the live counts: open scopes by name, owned resources by type, running tasks. Cheap:
   * it reads counters that are kept at every leak level. Names whose count fell to zero are
   * dropped from the counter tables when a snapshot is taken, giving their slot back.
   */
  public static Snapshot snapshot() {
    Counters.SCOPES.prune();
    Counters.RESOURCES.prune();
    return new Snapshot(
        Counters.SCOPES.read(),
        Counters.RESOURCES.read(),
        Counters.TASKS.sum(),
        Counters.LEAKS.sum(),
        System.nanoTime(),
        false);
  }

  /**
   * Returns every open scope (roots and their descendants, depth first), with its path, age,
   * allocation site when captured, directly owned resources by type, and tasks. A scope that is
   * closing is included. Each scope is read under its own lock, so the list is consistent per
   * scope, not across scopes.
   */
  public static List<ScopeInfo> openScopes() {
    return ScopeInfo.all();
  }

  /**
   * Returns every open root scope as an indented tree: path, age, site, owned resources (a lambda
   * shown by its declaring class) and tasks, bounded in depth and breadth with "... N more"
   * lines. Never fails because of what a scope owns.
   */
  public static String dump() {
    return Dump.render(Roots.all());
  }

  /**
   * Runs the garbage collector and processes the scopes it finds dropped, until two collections
   * in a row find nothing new or {@code timeout} passes; returns the leak reports delivered
   * meanwhile (by this thread or the library's cleaner thread). This is what tests and tools call
   * instead of sleeping. It relies on {@link System#gc()}; with {@code -XX:+DisableExplicitGC} it
   * can only wait for collections to happen.
   *
   * @param timeout the longest to wait
   * @return the leak reports delivered during the call, in delivery order
   * @throws InterruptedException if the calling thread is interrupted (also when it already is on
   *     entry)
   * @throws IllegalArgumentException if {@code timeout} is negative
   */
  @CanIgnoreReturnValue
  public static List<LeakReport> awaitCleanup(Duration timeout) throws InterruptedException {
    Checks.notNegative(timeout, "timeout");
    return Tracker.awaitCleanup(Checks.saturatedNanos(timeout));
  }

  /** The shutdown hook installed with the first root scope (see {@link Roots}). */
  static void reportOpenAtExit() {
    List<ScopeNode> roots = Roots.all();
    if (roots.isEmpty()) {
      return;
    }
    StringBuilder sb = new StringBuilder();
    sb.append(roots.size())
        .append(roots.size() == 1 ? " root scope was" : " root scopes were")
        .append(" still open at JVM exit (close them when the service stops):");
    int shown = 0;
    for (ScopeNode n : roots) {
      if (shown++ == 20) {
        sb.append("\n  ... ").append(roots.size() - 20).append(" more");
        break;
      }
      sb.append("\n  ")
          .append(n.path())
          .append(" (age ")
          .append(Format.duration(System.nanoTime() - n.openedAt))
          .append(n.trace == null ? "" : ", opened at " + n.trace.firstFrame())
          .append(')');
    }
    if (!Reporter.LOG.isLoggable(Level.WARNING)) {
      return;
    }
    if (julBackend()) {
      // The JDK's java.util.logging closes its handlers in a shutdown hook of its own, which runs
      // concurrently with this one: a record logged now is dropped about every other time. Write
      // it as that backend's default console handler would have, so the report is never lost.
      System.err.println("WARNING: " + sb);
      System.err.flush();
    } else {
      Reporter.LOG.log(Level.WARNING, sb.toString());
    }
  }

  /** Returns whether System.Logger is backed by the JDK's java.util.logging (the default). */
  private static boolean julBackend() {
    try {
      String finder = System.LoggerFinder.getLoggerFinder().getClass().getName();
      return finder.startsWith("sun.util.logging.");
    } catch (RuntimeException e) {
      return false;
    }
  }
}
