package io.lifecycle.examples;

import io.lifecycle.core.Lifecycle;
import io.lifecycle.core.Snapshot;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.Locale;

/**
 * What the server holds after a wave of calls, measured after full garbage collections and after
 * the library has processed the scopes they found dropped.
 *
 * @param calls calls done so far
 * @param heapAfterGc heap used after a full collection, in bytes
 * @param direct direct (native) buffer memory used, in bytes
 * @param threads live platform threads
 * @param scopes open scopes ({@link Lifecycle#snapshot()})
 * @param tasks live tasks ({@link Lifecycle#snapshot()})
 * @param listeners listeners the room holds
 * @param cached entries of the worker's participant cache
 * @param leaks leak reports made so far ({@link Lifecycle#snapshot()})
 */
record Sample(
    int calls,
    long heapAfterGc,
    long direct,
    int threads,
    long scopes,
    long tasks,
    int listeners,
    int cached,
    long leaks) {

  private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final BufferPoolMXBean DIRECT =
      ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
          .filter(b -> b.getName().equals("direct"))
          .findFirst()
          .orElseThrow();

  /** The longest a sample waits for the library to process the scopes the collector found. */
  private static final Duration CLEANUP_TIMEOUT = Duration.ofSeconds(5);

  /** The column names of {@link #toString()}. */
  static final String HEADER =
      " calls  heap after GC      direct  threads  scopes  tasks  listeners  cached  leaks";

  /** The column names of {@link #csv()}. */
  static final String CSV_HEADER =
      "calls,heap_after_gc_bytes,direct_bytes,platform_threads,open_scopes,live_tasks,"
          + "room_listeners,cached_participants,leak_reports";

  /**
   * Collects garbage until the library has processed every scope dropped without close, then
   * measures.
   *
   * @throws InterruptedException if interrupted while waiting for the collector
   */
  static Sample take(int calls, Room room, Worker worker) throws InterruptedException {
    // Reports of dropped scopes reach the registered leak listeners; the list is not needed here.
    Lifecycle.awaitCleanup(CLEANUP_TIMEOUT);
    long heap = collectAndMeasureHeap();
    long direct = measureDirectAfterGc();
    Snapshot s = Lifecycle.snapshot();
    return new Sample(
        calls,
        heap,
        direct,
        THREADS.getThreadCount(),
        s.totalScopes(),
        s.liveTasks(),
        room.listenerCount(),
        worker.cachedParticipants(),
        s.leakReports());
  }

  /** Runs a full collection and returns the heap used after it. */
  static long collectAndMeasureHeap() {
    System.gc();
    return MEMORY.getHeapMemoryUsage().getUsed();
  }

  /**
   * Returns the direct memory used once the buffers found unreachable by the last collection have
   * been freed (the JDK frees them on its reference handler thread, just after the collection): the
   * reading once it has stopped falling, or after 200 ms.
   */
  static long measureDirectAfterGc() throws InterruptedException {
    long previous = DIRECT.getMemoryUsed();
    for (int i = 0; i < 20; i++) {
      Thread.sleep(10);
      long now = DIRECT.getMemoryUsed();
      if (now >= previous) {
        return now;
      }
      previous = now;
    }
    return previous;
  }

  /** Returns the live platform threads that are not daemons: the application's own. */
  static int nonDaemonThreads() {
    return THREADS.getThreadCount() - THREADS.getDaemonThreadCount();
  }

  /** Returns the sample as a CSV line in the order of {@link #CSV_HEADER}. */
  String csv() {
    return calls
        + ","
        + heapAfterGc
        + ","
        + direct
        + ","
        + threads
        + ","
        + scopes
        + ","
        + tasks
        + ","
        + listeners
        + ","
        + cached
        + ","
        + leaks;
  }

  /** Returns the sample as a line aligned with {@link #HEADER}. */
  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "%6d  %13s  %10s  %7d  %6d  %5d  %9d  %6d  %5d",
        calls,
        mib(heapAfterGc),
        mib(direct),
        threads,
        scopes,
        tasks,
        listeners,
        cached,
        leaks);
  }

  /** Formats bytes as mebibytes with one decimal: {@code "12.5 MiB"}. */
  static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
  }
}
