package io.lifecycle.examples;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import io.lifecycle.core.LeakLevel;
import io.lifecycle.core.Lifecycle;
import io.lifecycle.core.Registration;
import io.lifecycle.core.Snapshot;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The agent-server example: a real-time agent worker that runs each call as a job on a pool of
 * platform threads, in the leaky form its users wrote ({@link LeakyWorker}) or on lifecycle ({@link
 * OwnedWorker}), under the same workload.
 *
 * <p>It runs {@code --calls} calls in waves of {@code --wave} concurrent jobs and, after each wave,
 * prints what the process holds after a full garbage collection: heap, direct memory, platform
 * threads, open scopes and live tasks, the room's listeners and the participant cache. At the end
 * it prints a chart of heap after GC against calls, what grew over the run (the room's listeners,
 * the participant cache, direct memory, and the growth that {@link Lifecycle#snapshot()} shows),
 * and writes {@code <mode>.csv}, {@code <mode>.svg} and {@code <mode>.summary} to {@code --out}.
 *
 * <pre>
 * java -cp ... io.lifecycle.examples.AgentServer --mode leaky|owned [--detect]
 *     [--calls 2000] [--wave 50] [--out target/agent-server]
 * </pre>
 *
 * <p>{@code --detect} (leaky mode only) runs at leak level {@link LeakLevel#ALL} with each job's
 * stream and poller in a scope the job forgets to close; the program prints the first leak report
 * in full and counts the rest.
 */
public final class AgentServer {
  private AgentServer() {}

  private static final String USAGE =
      "usage: AgentServer --mode leaky|owned [--detect] [--calls N] [--wave N] [--out DIR]";

  /**
   * The longest a job may take before the run fails; calls last a quarter of a second. Longer than
   * the owned worker's own bound on a call, so that an owned job that overruns fails in the worker,
   * which closes its scope, before the run gives up on it.
   */
  private static final Duration JOB_TIMEOUT = OwnedWorker.CALL_LIMIT.plusSeconds(10);

  /** The worker under test. */
  enum Mode {
    LEAKY,
    OWNED
  }

  /**
   * The command line.
   *
   * @param mode which worker runs the calls
   * @param detect whether the leaky worker's jobs put their objects in scopes they never close
   * @param calls how many calls to run
   * @param wave how many calls run concurrently, and the size of the worker's thread pool
   * @param out where the CSV, SVG and summary files go
   */
  record Options(Mode mode, boolean detect, int calls, int wave, Path out) {
    Options {
      if (calls < 1) {
        throw new IllegalArgumentException("--calls must be positive: " + calls);
      }
      if (wave < 1) {
        throw new IllegalArgumentException("--wave must be positive: " + wave);
      }
      if (detect && mode != Mode.LEAKY) {
        throw new IllegalArgumentException("--detect applies to --mode leaky only");
      }
    }

    /**
     * Returns the name of the run's files: {@code leaky}, {@code leaky-detect} or {@code owned}.
     */
    String label() {
      return mode.name().toLowerCase(Locale.ROOT) + (detect ? "-detect" : "");
    }

    /** Returns the options that name the run: {@code --mode leaky --detect}. */
    String arguments() {
      return "--mode " + mode.name().toLowerCase(Locale.ROOT) + (detect ? " --detect" : "");
    }

    /**
     * Parses {@code --name value} (or {@code --name=value}) options.
     *
     * @throws IllegalArgumentException naming the option that is unknown, missing or invalid
     */
    static Options parse(String... args) {
      Mode mode = null;
      boolean detect = false;
      int calls = 2_000;
      int wave = 50;
      Path out = Path.of("target", "agent-server");
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        String value = null;
        int eq = arg.indexOf('=');
        if (eq > 0) {
          value = arg.substring(eq + 1);
          arg = arg.substring(0, eq);
        }
        if (arg.equals("--detect")) {
          detect = true;
          continue;
        }
        if (value == null) {
          if (i + 1 == args.length) {
            throw new IllegalArgumentException("missing value of " + arg);
          }
          value = args[++i];
        }
        switch (arg) {
          case "--mode" -> {
            try {
              mode = Mode.valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
              throw new IllegalArgumentException("--mode must be leaky or owned: " + value, e);
            }
          }
          case "--calls" -> calls = parseInt(arg, value);
          case "--wave" -> wave = parseInt(arg, value);
          case "--out" -> out = Path.of(value);
          default -> throw new IllegalArgumentException("unknown option: " + arg);
        }
      }
      if (mode == null) {
        throw new IllegalArgumentException("--mode is required");
      }
      return new Options(mode, detect, calls, wave, out);
    }

    private static int parseInt(String option, String value) {
      try {
        return Integer.parseInt(value.replace("_", "").replace(",", ""));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(option + " must be a number: " + value, e);
      }
    }
  }

  /** Runs the example; exits with 0 on success, 1 on failure, 2 on a bad command line. */
  public static void main(String[] args) {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    int status;
    try {
      run(options, System.out);
      status = 0;
    } catch (Exception | Error e) {
      StringWriter trace = new StringWriter();
      e.printStackTrace(new PrintWriter(trace));
      System.err.print("agent-server failed: " + trace);
      status = 1;
    }
    // The leaky worker's pollers are non-daemon threads that never stop, and a failed run may
    // leave the pool's: either keeps the JVM from exiting on its own.
    System.exit(status);
  }

  /**
   * Runs the calls, prints the per-wave lines and the end report to {@code out}, and writes the
   * run's files.
   *
   * @return the run's outcome, also written to {@code <out>/<mode>.summary}
   * @throws TimeoutException if a job runs longer than {@link #JOB_TIMEOUT}
   */
  @CanIgnoreReturnValue
  static RunSummary run(Options options, PrintStream out)
      throws IOException, InterruptedException, ExecutionException, TimeoutException {
    long startNanos = System.nanoTime();
    out.printf(
        Locale.ROOT,
        "%n==== agent-server %s: %,d calls in waves of %d (JDK %s, max heap %s)%n%n",
        options.arguments(),
        options.calls(),
        options.wave(),
        Runtime.version(),
        Sample.mib(Runtime.getRuntime().maxMemory()));

    // The library logs every leak report; with thousands, the program prints them itself.
    Logger libraryLog = Logger.getLogger("io.lifecycle");
    Level logLevel = libraryLog.getLevel();
    LeakLevel leakLevel = Lifecycle.leakLevel();
    if (options.detect()) {
      libraryLog.setLevel(Level.SEVERE);
      Lifecycle.leakLevel(LeakLevel.ALL);
    }
    LeakTally leaks = new LeakTally();
    Registration tally = Lifecycle.addLeakListener(leaks);
    Room room = new Room("lobby");
    try (Switchboard switchboard = new Switchboard(room)) {
      int threadsBefore = Sample.nonDaemonThreads();
      Worker worker =
          options.mode() == Mode.OWNED
              ? new OwnedWorker(room, options.wave())
              : new LeakyWorker(room, options.wave(), options.detect());
      List<Sample> samples = new ArrayList<>();
      Sample before;
      Snapshot start;
      Snapshot lastWave; // what the last wave left, before the collector looked
      Snapshot end; // the same, once the collector and the library have run
      try {
        before = Sample.take(0, room, worker);
        start = Lifecycle.snapshot();
        lastWave = start;
        out.println(Sample.HEADER);
        int done = 0;
        while (done < options.calls()) {
          int n = Math.min(options.wave(), options.calls() - done);
          List<Future<?>> jobs = new ArrayList<>(n);
          for (int i = 1; i <= n; i++) {
            jobs.add(worker.submit(switchboard.dial(done + i)));
          }
          for (Future<?> job : jobs) {
            job.get(JOB_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
          }
          done += n;
          lastWave = Lifecycle.snapshot();
          Sample s = Sample.take(done, room, worker);
          samples.add(s);
          out.println(s);
        }
        end = Lifecycle.snapshot();
      } finally {
        worker.close();
      }
      Sample after = Sample.take(options.calls(), room, worker);
      RunSummary summary =
          summarize(options, samples, after, lastWave, threadsBefore, leaks.count(), startNanos);
      report(options, out, samples, before, start, end, summary, leaks);
      return summary;
    } finally {
      tally.close();
      if (options.detect()) {
        Lifecycle.leakLevel(leakLevel);
        libraryLog.setLevel(logLevel);
      }
    }
  }

  private static RunSummary summarize(
      Options options,
      List<Sample> samples,
      Sample after,
      Snapshot lastWave,
      int threadsBefore,
      long leakReports,
      long startNanos) {
    // The first wave is the warm-up, unless there are too few to spare one.
    Sample first = samples.get(samples.size() > 2 ? 1 : 0);
    Sample last = samples.get(samples.size() - 1);
    int span = last.calls() - first.calls();
    return new RunSummary(
        options.label(),
        options.calls(),
        first.heapAfterGc(),
        last.heapAfterGc(),
        span == 0 ? 0 : (last.heapAfterGc() - first.heapAfterGc()) * 1_000 / span,
        span == 0 ? 0 : (last.direct() - first.direct()) * 1_000 / span,
        Sample.nonDaemonThreads() - threadsBefore,
        after.scopes(),
        lastWave.scopes().getOrDefault("job", 0L),
        leakReports,
        after.listeners(),
        after.cached(),
        (System.nanoTime() - startNanos) / 1e9);
  }

  private static void report(
      Options options,
      PrintStream out,
      List<Sample> samples,
      Sample before,
      Snapshot start,
      Snapshot end,
      RunSummary summary,
      LeakTally leaks)
      throws IOException {
    List<Charts.Point> heap = new ArrayList<>();
    List<Charts.Point> direct = new ArrayList<>();
    for (Sample s : samples) {
      heap.add(new Charts.Point(s.calls(), s.heapAfterGc() / 1048576.0));
      direct.add(new Charts.Point(s.calls(), s.direct() / 1048576.0));
    }
    Charts.Series heapSeries = new Charts.Series("heap after GC", "#1f77b4", false, heap);

    out.printf("%nHeap after GC against calls, %s:%n%n", options.arguments());
    out.println(Charts.terminal(heapSeries, "MiB", 64, 12));

    out.printf(
        "%nWhat grew from the first call to the last, once the collector and the library ran:%n");
    out.println(whatGrew(before, samples.get(samples.size() - 1)));
    out.println(end.since(start));
    if (options.mode() == Mode.LEAKY && !options.detect()) {
      out.println("(The library sees what scopes own, and nothing is owned here: see --detect.)");
    }
    if (options.detect()) {
      out.printf(
          "(The collector found every job scope, and the library closed what each owned;%n"
              + "the callbacks and the cache entries, which no scope owned, still grew.)%n");
    }
    if (options.detect()) {
      out.printf("%n%s%n", leaks.describe());
    }

    out.printf(
        Locale.ROOT,
        "%nResult in %.1f s: heap %s and direct memory %s per 1,000 calls;%n"
            + "left after the run: %,d threads, %,d room listeners, %,d cache entries,"
            + " %,d open scopes; %,d leak reports.%n",
        summary.seconds(),
        signedMib(summary.heapGrowthPer1000()),
        signedMib(summary.directGrowthPer1000()),
        summary.threadsLeft(),
        summary.listenersLeft(),
        summary.cachedLeft(),
        summary.openScopes(),
        summary.leakReports());
    if (options.mode() == Mode.OWNED) {
      out.printf(
          Locale.ROOT,
          "Owned: heap after GC flat (%s after the warm-up, %s at the end): %s;%n"
              + "threads back to baseline: %s; open job scopes after the run: %d;"
              + " leak reports: %d.%n",
          Sample.mib(summary.warmHeap()),
          Sample.mib(summary.lastHeap()),
          summary.heapFlat() ? "yes" : "NO",
          summary.threadsLeft() == 0 ? "yes" : "NO",
          summary.jobScopesAfterRun(),
          summary.leakReports());
    }

    Path dir = options.out();
    Files.createDirectories(dir);
    Path csv = dir.resolve(options.label() + ".csv");
    List<String> lines = new ArrayList<>();
    lines.add(Sample.CSV_HEADER);
    samples.forEach(s -> lines.add(s.csv()));
    Files.write(csv, lines, StandardCharsets.UTF_8);
    Path svg = dir.resolve(options.label() + ".svg");
    Files.writeString(
        svg,
        Charts.svg(
            "agent-server " + options.arguments() + ": memory after GC against calls",
            "calls",
            "MiB",
            List.of(heapSeries, new Charts.Series("direct memory", "#ff7f0e", false, direct))),
        StandardCharsets.UTF_8);
    summary.write(dir.resolve(options.label() + ".summary"));
    out.printf("Wrote %s and %s.%n", csv, svg);
  }

  /**
   * Returns the growth from {@code before} to {@code last} of what the server holds and the library
   * cannot see, one line each: the room's listeners, the participant cache, direct memory.
   */
  private static String whatGrew(Sample before, Sample last) {
    List<String> lines = new ArrayList<>();
    int listeners = last.listeners() - before.listeners();
    int cached = last.cached() - before.cached();
    long direct = last.direct() - before.direct();
    if (listeners != 0) {
      lines.add(String.format(Locale.ROOT, "  room listeners   %+,d", listeners));
    }
    if (cached != 0) {
      lines.add(String.format(Locale.ROOT, "  cache entries    %+,d", cached));
    }
    if (!signedMib(direct).equals(Sample.mib(0))) {
      lines.add("  direct memory    " + signedMib(direct));
    }
    return lines.isEmpty()
        ? "  room listeners, cache entries, direct memory: no growth"
        : String.join(System.lineSeparator(), lines);
  }

  /** Formats a byte count as signed mebibytes: {@code "+12.5 MiB"}, or {@code "0.0 MiB"}. */
  static String signedMib(long bytes) {
    String magnitude = Sample.mib(Math.abs(bytes));
    return magnitude.equals(Sample.mib(0)) ? magnitude : (bytes < 0 ? "-" : "+") + magnitude;
  }
}
