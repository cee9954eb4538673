package io.lifecycle.junit;

import io.lifecycle.core.LeakReport;
import io.lifecycle.core.Lifecycle;
import io.lifecycle.core.Registration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * One leak check: {@link #start} records what is alive, {@link #finish} waits for the test's
 * stragglers and reports what the test left behind. The engine behind both {@link LeakCheck} and
 * {@link LeakAssertions}.
 *
 * <h2>Implementation notes</h2>
 *
 * <p><b>Start</b> raises the leak level ({@link LevelGuard}), registers a leak listener (reports
 * can be delivered at any moment, by the library's cleaner thread), then records the ids of every
 * live thread ({@link ThreadCensus}) and the open scopes ({@link ScopeCensus}).
 *
 * <p><b>Finish</b>, in this order: settles the collector with {@link Lifecycle#awaitCleanup}
 * (bounded by the timeout), so that scopes the test dropped are reported and their safety-net
 * close has stopped their tasks; waits until the linger has passed since the test ended for the
 * new threads still running (joining those it has a {@link Thread} for, polling the thread dump
 * for the others); takes the open scopes again. A scope is the test's if it was not open at the
 * start (see {@link ScopeCensus}); only the topmost scope of a leaked subtree is reported, with
 * what the whole subtree owns. A leak report is the test's if its scope was not open at the start.
 * A scope that was open at the start and owns more resources after the test is reported as grown.
 *
 * <p><b>Threads:</b> one thread runs start and finish (they need not be the same thread); the
 * listener is called by any thread and only appends to a synchronized list.
 */
final class Probe implements AutoCloseable {
  /**
   * Bound on the delay between a leak report's making (when its age is measured) and its
   * delivery to this probe's listener, used to bound when the reported scope was opened.
   */
  private static final long REPORT_DELIVERY_NANOS = Duration.ofMillis(5).toNanos();

  /** The longest pause between two thread dumps while waiting for virtual threads to end. */
  private static final long MAX_POLL_NANOS = Duration.ofMillis(50).toNanos();

  private final Config config;
  private final ThreadDump dump;
  private final List<Received> received = Collections.synchronizedList(new ArrayList<>());
  private final Registration listener;
  private final Set<Long> threadsBefore;
  private final ScopeCensus scopesBefore;
  private boolean ended;

  /** A leak report and when it was delivered. */
  private record Received(LeakReport report, long at) {}

  private Probe(Config config, ThreadDump dump) {
    this.config = config;
    this.dump = dump;
    this.listener =
        Lifecycle.addLeakListener(r -> received.add(new Received(r, System.nanoTime())));
    try {
      this.threadsBefore = new HashSet<>(ThreadCensus.take(dump).threads.keySet());
      this.scopesBefore = ScopeCensus.take();
    } catch (RuntimeException | Error e) {
      listener.close();
      throw e;
    }
  }

  /** Returns what this check looks for. */
  Config config() {
    return config;
  }

  /** Starts a check: raises the leak level and records what is alive now. */
  static Probe start(Config config) {
    return start(config, ThreadDump.JDK);
  }

  static Probe start(Config config, ThreadDump dump) {
    LevelGuard.raise();
    try {
      return new Probe(config, dump);
    } catch (RuntimeException | Error e) {
      LevelGuard.lower();
      throw e;
    }
  }

  /**
   * Ends the check: settles the collector, lets new threads linger, and returns what the test
   * left behind. Restores the leak level and removes the listener, even when interrupted.
   *
   * @throws InterruptedException if the calling thread is interrupted while waiting
   * @throws IllegalStateException if the check has already ended
   */
  Findings finish() throws InterruptedException {
    if (ended) {
      throw new IllegalStateException("this leak check has already ended");
    }
    long testEnd = System.nanoTime();
    try {
      List<LeakReport> settled = Lifecycle.awaitCleanup(config.timeout());
      ThreadResult threads =
          lingeringThreads(testEnd + saturatedNanos(config.linger()));
      ScopeCensus scopesAfter = ScopeCensus.take();
      List<Received> reports = reports(settled);
      List<Findings.LeakedScope> leaked = new ArrayList<>();
      List<Findings.GrownScope> grown = new ArrayList<>();
      scopes(scopesAfter, leaked, grown);
      dropped(reports, leaked);
      return new Findings(leaked, grown, threads.leaked, config.linger(), threads.caveat);
    } finally {
      close();
    }
  }

  /** Ends the check without looking; idempotent. */
  @Override
  public void close() {
    if (ended) {
      return;
    }
    ended = true;
    try {
      listener.close();
    } finally {
      LevelGuard.lower();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Scopes
  // ---------------------------------------------------------------------------------------------

  /** Finds the topmost new open scopes, and the old scopes that own more. */
  private void scopes(
      ScopeCensus after, List<Findings.LeakedScope> leaked, List<Findings.GrownScope> grown) {
    after.matchAgainst(scopesBefore);
    Set<ScopeCensus.Node> ignored = Collections.newSetFromMap(new IdentityHashMap<>());
    for (ScopeCensus.Node n : after.nodes) {
      if ((n.parent != null && ignored.contains(n.parent)) || config.ignoresScope(n.path())) {
        ignored.add(n);
        continue;
      }
      if (n.earlier == null) {
        if (n.parent == null || n.parent.earlier != null) {
          leaked.add(leakedSubtree(n, ignored));
        }
      } else {
        Map<String, Integer> gained = gained(n.earlier.info.resources(), n.info.resources());
        if (!gained.isEmpty()) {
          grown.add(
              new Findings.GrownScope(
                  n.path(), n.info.age(), n.info.allocationSite(), gained));
        }
      }
    }
  }

  private Findings.LeakedScope leakedSubtree(
      ScopeCensus.Node top, Set<ScopeCensus.Node> ignored) {
    Map<String, Integer> owned = new TreeMap<>();
    int descendants = 0;
    int tasks = 0;
    List<ScopeCensus.Node> stack = new ArrayList<>();
    stack.add(top);
    while (!stack.isEmpty()) {
      ScopeCensus.Node n = stack.remove(stack.size() - 1);
      if (n != top) {
        if (config.ignoresScope(n.path())) {
          ignored.add(n);
          continue;
        }
        descendants++;
      }
      n.info.resources().forEach((type, count) -> owned.merge(type, count, Integer::sum));
      tasks += n.info.tasks().size();
      stack.addAll(n.children);
    }
    return new Findings.LeakedScope(
        top.info.isClosing() ? Findings.State.CLOSING : Findings.State.OPEN,
        top.path(),
        top.info.age(),
        top.info.allocationSite(),
        owned,
        descendants,
        tasks,
        null);
  }

  private static Map<String, Integer> gained(
      Map<String, Integer> before, Map<String, Integer> after) {
    Map<String, Integer> out = new TreeMap<>();
    after.forEach(
        (type, count) -> {
          int d = count - before.getOrDefault(type, 0);
          if (d > 0) {
            out.put(type, d);
          }
        });
    return out;
  }

  /** Adds the reported leaks of scopes that were not open when the check started. */
  private void dropped(List<Received> reports, List<Findings.LeakedScope> leaked) {
    for (Received r : reports) {
      LeakReport report = r.report();
      if (ignoredPath(report.path())) {
        continue;
      }
      long openedMax = r.at() - saturatedNanos(report.age());
      if (scopesBefore.hadOpen(report.path(), openedMax - REPORT_DELIVERY_NANOS, openedMax)) {
        continue; // open before the test: someone else's leak, found now
      }
      leaked.add(
          new Findings.LeakedScope(
              Findings.State.DROPPED,
              report.path(),
              report.age(),
              report.allocationSite(),
              report.owned(),
              report.descendantScopes(),
              report.tasks().size(),
              report.cleanupFailure().map(Throwable::toString).orElse(null)));
    }
  }

  /** Returns whether the path or one of its ancestors' paths is ignored. */
  private boolean ignoredPath(String path) {
    for (int i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) {
      if (config.ignoresScope(path.substring(0, i))) {
        return true;
      }
    }
    return config.ignoresScope(path);
  }

  /** The reports the listener received, plus any that only awaitCleanup returned. */
  private List<Received> reports(List<LeakReport> settled) {
    List<Received> out;
    synchronized (received) {
      out = new ArrayList<>(received);
    }
    Set<LeakReport> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Received r : out) {
      seen.add(r.report());
    }
    long now = System.nanoTime();
    for (LeakReport r : settled) {
      if (seen.add(r)) {
        out.add(new Received(r, now));
      }
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // Threads
  // ---------------------------------------------------------------------------------------------

  private record ThreadResult(List<Findings.LeakedThread> leaked, String caveat) {}

  /**
   * Returns the threads started since the check began that are still running at {@code
   * deadline}, waiting for them until then.
   */
  private ThreadResult lingeringThreads(long deadline) throws InterruptedException {
    ThreadCensus now = ThreadCensus.take(dump);
    String caveat =
        now.dumped
            ? null
            : "virtual threads started outside scopes were not checked ("
                + dump.unavailableReason().orElse("the JDK's thread dump failed")
                + ")";
    long self = Thread.currentThread().threadId();
    List<ThreadCensus.Seen> suspects = new ArrayList<>();
    for (ThreadCensus.Seen s : now.threads.values()) {
      if (!threadsBefore.contains(s.tid)
          && s.tid != self
          && !config.ignoresThread(s.name(), s.thread)) {
        suspects.add(s);
      }
    }
    if (suspects.isEmpty()) {
      return new ThreadResult(List.of(), caveat);
    }
    // Threads we hold: join each until the deadline.
    for (ThreadCensus.Seen s : suspects) {
      long left = deadline - System.nanoTime();
      if (s.thread == null || left <= 0) {
        continue;
      }
      s.thread.join(Duration.ofNanos(left));
    }
    suspects.removeIf(s -> s.thread != null && !s.thread.isAlive());
    // Threads only the dump knows: read it again until they are gone or the deadline passes. The
    // first read is at once: it also drops a platform thread that ended between the census's two
    // lists (the JDK 21 dump does not say which threads are virtual).
    long pause = Duration.ofMillis(1).toNanos();
    boolean first = true;
    while (suspects.stream().anyMatch(s -> s.thread == null)) {
      long left = deadline - System.nanoTime();
      if (!first) {
        if (left <= 0) {
          break;
        }
        Thread.sleep(Duration.ofNanos(Math.min(pause, left)));
        pause = Math.min(pause * 2, MAX_POLL_NANOS);
      }
      first = false;
      Optional<List<ThreadDump.Entry>> entries = dump.take();
      if (entries.isEmpty()) {
        break;
      }
      Map<Long, ThreadDump.Entry> byId = new HashMap<>();
      for (ThreadDump.Entry e : entries.get()) {
        byId.put(e.tid(), e);
      }
      suspects.removeIf(
          s -> {
            if (s.thread != null) {
              return false;
            }
            ThreadDump.Entry e = byId.get(s.tid);
            if (e == null) {
              return true;
            }
            s.dumped = e;
            return false;
          });
    }
    List<Findings.LeakedThread> leaked = new ArrayList<>();
    for (ThreadCensus.Seen s : suspects) {
      if (s.thread != null) {
        Thread t = s.thread;
        StackTraceElement[] stack = t.getStackTrace();
        Thread.State state = t.getState();
        if (state == Thread.State.TERMINATED) {
          continue;
        }
        leaked.add(
            new Findings.LeakedThread(
                s.tid,
                t.getName(),
                t.isVirtual(),
                state.name(),
                Findings.frames(stack),
                s.taskOf));
      } else {
        ThreadDump.Entry e = s.dumped;
        leaked.add(
            new Findings.LeakedThread(
                s.tid, e.name(), e.virtual().orElse(true), e.state(), e.stack(), null));
      }
    }
    leaked.sort(Comparator.comparingLong(Findings.LeakedThread::tid));
    return new ThreadResult(leaked, caveat);
  }

  /** Converts a non-negative duration, capped so that adding it to a nanoTime cannot wrap. */
  private static long saturatedNanos(Duration d) {
    long cap = Long.MAX_VALUE / 4;
    try {
      return Math.min(d.toNanos(), cap);
    } catch (ArithmeticException e) {
      return cap;
    }
  }
}
