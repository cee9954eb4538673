package io.lifecycle.junit;

import io.lifecycle.core.LeakReport;
import io.lifecycle.core.Lifecycle;
import io.lifecycle.core.Registration;
import io.lifecycle.core.ScopeInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
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
 * can be delivered at any moment, by the library's cleaner thread), records the live threads
 * ({@link ThreadCensus#start}) and the open scopes ({@link ScopeCensus}), and last reads {@link
 * System#nanoTime()}: the check's start. Everything the test does comes after that reading.
 *
 * <p><b>Finish</b>, in this order: settles the collector with {@link Lifecycle#awaitCleanup}
 * (bounded by the timeout), so that scopes the test dropped are reported and their safety-net
 * close has stopped their tasks; waits until the linger has passed since the test ended for the
 * new threads still running (joining those it has a {@link Thread} for, polling the thread dump
 * for the others); takes the open scopes again.
 *
 * <p><b>Whose is it:</b> a scope, open or reported leaked, is the test's exactly when it was
 * opened at or after the check's start: {@code openedAtNanos - start >= 0}, the reading core
 * took when the scope opened, compared with the check's own. No window, no guess: however late a
 * report is delivered (a slow listener before ours, a long collection), a scope dropped before
 * the test is never blamed on it. Only the topmost new scope of a subtree is reported, with what
 * the whole subtree owns. A scope opened before the start is compared with itself in the start's
 * census (same path, same opening reading) and reported if it owns more.
 *
 * <p><b>Threads:</b> one thread runs start and finish (they need not be the same thread); the
 * listener is called by any thread and only appends to a synchronized list.
 */
final class Probe implements AutoCloseable {
  /** The longest pause between two thread dumps while waiting for virtual threads to end. */
  private static final long MAX_POLL_NANOS = Duration.ofMillis(50).toNanos();

  private final Config config;
  private final ThreadDump dump;
  private final List<LeakReport> received = Collections.synchronizedList(new ArrayList<>());
  private final Registration listener;
  private final ThreadCensus.Start threadsBefore;
  private final ScopeCensus scopesBefore;

  /** The {@link System#nanoTime()} at which the check started: later scopes are the test's. */
  private final long started;

  private boolean ended;

  private Probe(Config config, ThreadDump dump) {
    this.config = config;
    this.dump = dump;
    this.listener = Lifecycle.addLeakListener(received::add);
    try {
      List<ScopeInfo> scopes = Lifecycle.openScopes();
      this.threadsBefore = ThreadCensus.start(scopes);
      this.scopesBefore = ScopeCensus.of(scopes);
      this.started = System.nanoTime();
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
      ThreadResult threads = lingeringThreads(testEnd);
      ScopeCensus scopesAfter = ScopeCensus.take();
      List<Findings.LeakedScope> leaked = new ArrayList<>();
      List<Findings.GrownScope> grown = new ArrayList<>();
      scopes(scopesAfter, leaked, grown);
      dropped(reports(settled), leaked);
      return new Findings(leaked, grown, threads.leaked, threads.seenAfter, threads.caveat);
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
      if (n.openedSince(started)) {
        // the test's; a child opens after its parent, so only a topmost one has an older parent
        if (n.parent == null || !n.parent.openedSince(started)) {
          leaked.add(leakedSubtree(n, ignored));
        }
      } else if (n.earlier != null) {
        Map<String, Integer> gained = gained(n.earlier.info.resources(), n.info.resources());
        if (!gained.isEmpty()) {
          grown.add(
              new Findings.GrownScope(
                  n.path(), n.info.age(), n.info.allocationSite(), gained));
        }
      }
      // else: opened before the check started but after its census, by another thread: not the
      // test's, and with nothing to compare it with
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

  /** Adds the reported leaks of scopes opened since the check started. */
  private void dropped(List<LeakReport> reports, List<Findings.LeakedScope> leaked) {
    for (LeakReport report : reports) {
      if (report.openedAtNanos() - started < 0 || ignoredPath(report.path())) {
        continue; // opened before the test: someone else's leak, found now
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

  /**
   * Returns whether the path or the path of one of its ancestors is ignored: a report names only
   * its scope, and each '/' of a path ends an ancestor's path.
   */
  private boolean ignoredPath(String path) {
    for (int i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) {
      if (config.ignoresScope(path.substring(0, i))) {
        return true;
      }
    }
    return config.ignoresScope(path);
  }

  /** The reports the listener received, plus any that only awaitCleanup returned. */
  private List<LeakReport> reports(List<LeakReport> settled) {
    List<LeakReport> out;
    synchronized (received) {
      out = new ArrayList<>(received);
    }
    Set<LeakReport> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    seen.addAll(out);
    for (LeakReport r : settled) {
      if (seen.add(r)) {
        out.add(r);
      }
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // Threads
  // ---------------------------------------------------------------------------------------------

  /**
   * The threads still running, how long after the test the check last looked, and what it could
   * not see (or null).
   */
  private record ThreadResult(
      List<Findings.LeakedThread> leaked, Duration seenAfter, String caveat) {}

  /**
   * Returns the threads started since the check began that are still running once the linger has
   * passed since {@code testEnd}, waiting for them until then.
   */
  private ThreadResult lingeringThreads(long testEnd) throws InterruptedException {
    long deadline = testEnd + saturatedNanos(config.linger());
    // The dump is needed only for a thread constructed since the start: if the next thread id is
    // the one after the start's mark, none was (see ThreadCensus).
    boolean anyConstructed = ThreadCensus.mark() - threadsBefore.mark() != 1;
    ThreadCensus now =
        ThreadCensus.take(
            Lifecycle.openScopes(), anyConstructed ? dump : null, threadsBefore.mark());
    String caveat = now.dumped ? null : caveat(anyConstructed);
    long self = Thread.currentThread().threadId();
    List<ThreadCensus.Seen> suspects = new ArrayList<>();
    for (ThreadCensus.Seen s : now.threads.values()) {
      if (!threadsBefore.alive().contains(s.tid)
          && s.tid != self
          && !config.ignoresThread(s.name(), s.thread)) {
        suspects.add(s);
      }
    }
    if (suspects.isEmpty()) {
      return new ThreadResult(List.of(), Duration.ZERO, caveat);
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
    Duration seenAfter = Duration.ofNanos(System.nanoTime() - testEnd);
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
    return new ThreadResult(leaked, seenAfter, caveat);
  }

  /**
   * Returns what the check could not see without the dump, or null if the dump was not needed
   * ({@code tried} false) and is not known to be unavailable.
   */
  private String caveat(boolean tried) {
    Optional<String> reason = dump.unavailableReason();
    if (reason.isEmpty() && !tried) {
      return null;
    }
    return "virtual threads started outside scopes were not checked ("
        + reason.orElse("the JDK's thread dump failed")
        + ")";
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
