package io.lifecycle.junit;

import io.lifecycle.core.Lifecycle;
import io.lifecycle.core.ScopeInfo;
import io.lifecycle.core.TaskInfo;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The live threads at one moment, by thread id, from three sources:
 *
 * <ol>
 *   <li>the JDK's thread dump ({@link ThreadDump}), the only place that lists every virtual
 *       thread, including those started with {@code Thread.ofVirtual().start(...)};
 *   <li>the tasks of open scopes ({@link Lifecycle#openScopes()}, {@link TaskInfo#thread()}):
 *       virtual threads with their {@link Thread} object, so they can be joined and named as the
 *       task of a scope;
 *   <li>every platform thread, from the root thread group.
 * </ol>
 *
 * <p>A check's start records only the cheap sources ({@link #start}): the ids of the platform
 * threads and scope tasks alive then, and a {@linkplain #mark() mark} in the sequence of thread
 * ids. OpenJDK hands thread ids out one by one, in increasing order, as threads are constructed,
 * and never reuses one; so a thread the dump lists later is one the test could have started only
 * if its id is above the mark, and when the next id is the one after the mark, no thread was
 * constructed at all and the dump (58 ms with a thousand threads) is not taken. (On a runtime
 * that numbered threads otherwise, the dump would only be taken more often.)
 *
 * <p>The dump is read first: a platform thread in it that has ended by the time the platform
 * threads are listed is then known to be gone, not mistaken for a virtual one. Not thread-safe.
 */
final class ThreadCensus {
  /** One live thread: its {@link Thread} when known, else what the dump said of it. */
  static final class Seen {
    final long tid;
    final Thread thread;
    ThreadDump.Entry dumped;
    String taskOf;

    Seen(long tid, Thread thread) {
      this.tid = tid;
      this.thread = thread;
    }

    String name() {
      return thread != null ? thread.getName() : dumped.name();
    }
  }

  /**
   * What a check records of the threads when it starts.
   *
   * @param alive the ids of the platform threads and scope tasks alive then
   * @param mark a {@linkplain #mark() mark} taken then
   */
  record Start(Set<Long> alive, long mark) {}

  final Map<Long, Seen> threads;

  /** Whether the thread dump was read: without it, virtual threads outside scopes are unseen. */
  final boolean dumped;

  private ThreadCensus(Map<Long, Seen> threads, boolean dumped) {
    this.threads = threads;
    this.dumped = dumped;
  }

  /**
   * Returns the id of a thread constructed now and never started: above the id of every thread
   * constructed before, below that of every thread constructed after. Costs about a microsecond.
   */
  static long mark() {
    return Thread.ofVirtual()
        .inheritInheritableThreadLocals(false)
        .unstarted(ThreadCensus::nothing)
        .threadId();
  }

  /** The body of the never-started threads of {@link #mark()}. */
  private static void nothing() {}

  /** Records the threads at the start of a check; {@code scopes} are the open scopes now. */
  static Start start(List<ScopeInfo> scopes) {
    long mark = mark();
    Set<Long> alive = new HashSet<>();
    for (Thread t : platformThreads()) {
      alive.add(t.threadId());
    }
    for (ScopeInfo scope : scopes) {
      for (TaskInfo task : scope.tasks()) {
        task.thread().ifPresent(t -> alive.add(t.threadId()));
      }
    }
    return new Start(Set.copyOf(alive), mark);
  }

  /**
   * Takes a census of the threads alive now.
   *
   * @param scopes the open scopes now
   * @param dump the JDK's dump to read, or null to read only the platform threads and the tasks
   * @param mark threads only the dump lists are left out unless their id is above this mark
   */
  static ThreadCensus take(List<ScopeInfo> scopes, ThreadDump dump, long mark) {
    Optional<List<ThreadDump.Entry>> entries = dump == null ? Optional.empty() : dump.take();
    Map<Long, Seen> out = new LinkedHashMap<>();
    for (ScopeInfo scope : scopes) {
      for (TaskInfo task : scope.tasks()) {
        Thread t = task.thread().orElse(null);
        if (t != null && t.isAlive()) {
          Seen s = new Seen(t.threadId(), t);
          s.taskOf = scope.path();
          out.putIfAbsent(s.tid, s);
        }
      }
    }
    for (Thread t : platformThreads()) {
      if (t.isAlive()) {
        out.putIfAbsent(t.threadId(), new Seen(t.threadId(), t));
      }
    }
    if (entries.isPresent()) {
      for (ThreadDump.Entry e : entries.get()) {
        Seen s = out.get(e.tid());
        if (s != null) {
          s.dumped = e;
        } else if (e.tid() > mark && e.virtual().orElse(true)) {
          // not a platform thread now alive: a virtual thread (or, in the JDK 21 format, which
          // does not say, possibly a platform thread that ended since; a later dump tells)
          Seen v = new Seen(e.tid(), null);
          v.dumped = e;
          out.put(e.tid(), v);
        }
      }
    }
    return new ThreadCensus(out, entries.isPresent());
  }

  /** Returns every live platform thread (virtual threads are in no thread group's list). */
  static List<Thread> platformThreads() {
    ThreadGroup root = Thread.currentThread().getThreadGroup();
    while (root.getParent() != null) {
      root = root.getParent();
    }
    Thread[] all = new Thread[root.activeCount() + 16];
    int n;
    while ((n = root.enumerate(all, true)) == all.length) {
      all = new Thread[all.length * 2];
    }
    return Arrays.asList(all).subList(0, n);
  }
}
