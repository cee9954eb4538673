package io.lifecycle.junit;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What one check looks for and how long it waits; made from {@link LeakCheck} attributes or a
 * {@link LeakAssertions.Builder}. Immutable.
 *
 * @param mode fail, or only warn
 * @param timeout the bound on settling the collector and the library's cleanup
 * @param linger how long after the test a thread it started may still run
 * @param ignoredThreads patterns matched against whole thread names, on top of the defaults
 * @param ignoredScopes patterns matched against whole scope paths
 */
record Config(
    LeakCheck.Mode mode,
    Duration timeout,
    Duration linger,
    List<Pattern> ignoredThreads,
    List<Pattern> ignoredScopes) {

  static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(LeakCheck.DEFAULT_TIMEOUT_MILLIS);
  static final Duration DEFAULT_LINGER = Duration.ofMillis(LeakCheck.DEFAULT_LINGER_MILLIS);

  /**
   * Threads of the JVM, the JDK, the test harness and this library, which start lazily and live
   * on their own terms: ignored by every check. Names are matched whole.
   */
  static final List<Pattern> DEFAULT_IGNORED_THREADS =
      compile(
          // the JVM's and the JDK's own
          "Reference Handler",
          "Finalizer",
          "Signal Dispatcher",
          "Attach Listener",
          "Notification Thread",
          "Service Thread",
          "Monitor Deflation Thread",
          "C[12] CompilerThread\\d+",
          "Sweeper thread",
          "DestroyJavaVM",
          "Common-Cleaner",
          "process reaper.*",
          "JFR .*",
          "ForkJoinPool\\.commonPool-worker-\\d+",
          "VirtualThread-un(parker|blocker)",
          "(Read|Write)-Poller.*",
          "Keep-Alive-(Timer|SocketCleaner)",
          "RMI .*",
          "GC Daemon",
          "JMX server connection timeout.*",
          // this library's cleaner, started on first use
          "lifecycle-cleaner",
          // the test harness: Maven Surefire and JUnit
          "surefire-forkedjvm-.*",
          "junit-jupiter-timeout-watcher",
          "junit-timeout-thread-\\d+");

  /**
   * Classes of threads that only the JDK can start (carrier threads of virtual threads, the JDK's
   * innocuous system threads): ignored whatever their name; so are JUnit's own thread classes.
   */
  private static final Set<String> INTERNAL_THREAD_CLASSES =
      Set.of("jdk.internal.misc.CarrierThread", "jdk.internal.misc.InnocuousThread");

  /**
   * Thread groups that only the JDK creates: the virtual thread scheduler's (carriers, and from
   * JDK 25 its {@code ForkJoinPool-N-delayScheduler}), and the innocuous system threads'.
   */
  private static final Set<String> INTERNAL_THREAD_GROUPS =
      Set.of("CarrierThreads", "InnocuousThreadGroup");

  Config {
    ignoredThreads = List.copyOf(ignoredThreads);
    ignoredScopes = List.copyOf(ignoredScopes);
  }

  /** The configuration of a plain {@code @LeakCheck}. */
  static final Config DEFAULT =
      new Config(LeakCheck.Mode.FAIL, DEFAULT_TIMEOUT, DEFAULT_LINGER, List.of(), List.of());

  /**
   * Returns whether a thread is outside the check: a JDK or harness thread, or one whose name an
   * ignore pattern matches.
   *
   * @param name the thread's name
   * @param thread the thread, or null when only its name is known (from a thread dump)
   */
  boolean ignoresThread(String name, Thread thread) {
    if (thread != null) {
      String cls = thread.getClass().getName();
      if (INTERNAL_THREAD_CLASSES.contains(cls) || cls.startsWith("org.junit.")) {
        return true;
      }
      ThreadGroup group = thread.getThreadGroup(); // null once the thread has ended
      if (group != null && !thread.isVirtual() && INTERNAL_THREAD_GROUPS.contains(group.getName())) {
        return true;
      }
    }
    return matchesAny(DEFAULT_IGNORED_THREADS, name) || matchesAny(ignoredThreads, name);
  }

  /** Returns whether a scope (and everything under it) is outside the check. */
  boolean ignoresScope(String path) {
    return matchesAny(ignoredScopes, path);
  }

  private static boolean matchesAny(List<Pattern> patterns, String s) {
    for (Pattern p : patterns) {
      if (p.matcher(s).matches()) {
        return true;
      }
    }
    return false;
  }

  private static List<Pattern> compile(String... regexes) {
    return java.util.Arrays.stream(regexes).map(Pattern::compile).toList();
  }
}
