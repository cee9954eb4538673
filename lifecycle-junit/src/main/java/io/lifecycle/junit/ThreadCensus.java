package io.lifecycle.junit;

import io.lifecycle.core.Lifecycle;
import io.lifecycle.core.ScopeInfo;
import io.lifecycle.core.TaskInfo;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
 * <p>The dump is read first: a platform thread in it that has ended by the time the platform
 * threads are listed is then known to be gone, not mistaken for a virtual one. Thread ids are
 * never reused in a JVM, so an id names one thread for good. Not thread-safe.
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

  final Map<Long, Seen> threads;

  /** Whether the thread dump was read: without it, virtual threads outside scopes are unseen. */
  final boolean dumped;

  private ThreadCensus(Map<Long, Seen> threads, boolean dumped) {
    this.threads = threads;
    this.dumped = dumped;
  }

  static ThreadCensus take(ThreadDump dump) {
    Optional<List<ThreadDump.Entry>> entries = dump.take();
    Map<Long, Seen> out = new LinkedHashMap<>();
    for (ScopeInfo scope : Lifecycle.openScopes()) {
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
        } else if (e.virtual().orElse(true)) {
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
