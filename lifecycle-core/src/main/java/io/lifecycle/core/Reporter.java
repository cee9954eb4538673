package io.lifecycle.core;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Delivers leak and stuck reports: to every {@link LeakListener} (registered or found by {@link
 * ServiceLoader}), to {@link System.Logger} at WARNING, and as JFR events. A listener that throws
 * is logged and does not stop the others.
 */
final class Reporter {
  private Reporter() {}

  static final System.Logger LOG = System.getLogger("io.lifecycle");

  private static final CopyOnWriteArrayList<RuntimeRegistration<LeakListener>> LISTENERS =
      new CopyOnWriteArrayList<>();

  /** Report sinks of {@link Lifecycle#awaitCleanup} calls in progress. */
  private static final CopyOnWriteArrayList<List<LeakReport>> COLLECTORS =
      new CopyOnWriteArrayList<>();

  /** Listeners named in META-INF/services, loaded on the first report. */
  private static final class Loaded {
    static final List<LeakListener> LISTENERS = load();

    private static List<LeakListener> load() {
      List<LeakListener> out = new ArrayList<>();
      try {
        for (LeakListener l : ServiceLoader.load(LeakListener.class)) {
          out.add(l);
        }
      } catch (ServiceConfigurationError e) {
        LOG.log(Level.WARNING, "could not load a LeakListener service", e);
      }
      return List.copyOf(out);
    }
  }

  static Registration addListener(LeakListener listener) {
    RuntimeRegistration<LeakListener> r = new RuntimeRegistration<>(LISTENERS, listener, null);
    LISTENERS.add(r);
    return r;
  }

  private static List<LeakListener> listeners() {
    List<LeakListener> out = new ArrayList<>(Loaded.LISTENERS);
    for (RuntimeRegistration<LeakListener> r : LISTENERS) {
      out.add(r.value);
    }
    return out;
  }

  static void leak(LeakReport report) {
    Counters.LEAKS.increment();
    for (List<LeakReport> c : COLLECTORS) {
      c.add(report);
    }
    for (LeakListener l : listeners()) {
      try {
        l.onLeak(report);
      } catch (Throwable t) {
        LOG.log(Level.WARNING, "LeakListener " + l + " threw on a leak report", t);
      }
    }
    LOG.log(Level.WARNING, report::toString);
    Events.leak(report);
  }

  /**
   * Makes and delivers the report of something a close abandoned; returns it.
   *
   * @param kind "close" or "task"
   */
  static StuckReport stuck(
      String path, String what, long stuckNanos, Thread thread, String kind, long timeoutNanos) {
    StuckReport r =
        StuckReport.of(
            kind.equals("task") ? StuckReport.Kind.TASK : StuckReport.Kind.CLOSE,
            what + " (close timeout " + Format.duration(timeoutNanos) + ")",
            path,
            Duration.ofNanos(Math.max(0, stuckNanos)),
            thread);
    stuck(r);
    return r;
  }

  static void stuck(StuckReport report) {
    for (LeakListener l : listeners()) {
      try {
        l.onStuck(report);
      } catch (Throwable t) {
        LOG.log(Level.WARNING, "LeakListener " + l + " threw on a stuck report", t);
      }
    }
    LOG.log(Level.WARNING, report::toString);
    Events.stuck(report);
  }

  /** Logs the failure of a release that finished after its close gave up waiting for it. */
  static void lateFailure(String path, String what, Throwable failure) {
    LOG.log(
        Level.WARNING,
        "abandoned " + what + " of scope " + path + " failed after the close returned",
        failure);
  }

  /** Starts collecting the leak reports delivered from now on, for {@code awaitCleanup}. */
  static List<LeakReport> startCollecting() {
    List<LeakReport> sink = Collections.synchronizedList(new ArrayList<>());
    COLLECTORS.add(sink);
    return sink;
  }

  static void stopCollecting(List<LeakReport> sink) {
    COLLECTORS.remove(sink);
  }
}
