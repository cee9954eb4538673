package io.lifecycle.jmh;

import io.lifecycle.core.LeakLevel;
import io.lifecycle.core.Lifecycle;
import io.lifecycle.core.Scope;
import io.lifecycle.core.Task;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Structured concurrency: run {@code tasks} trivial tasks on virtual threads and wait for all.
 * lifecycle opens a scope, forks them, joins and closes; the anchors start and join raw virtual
 * threads one by one, or submit to a {@code newVirtualThreadPerTaskExecutor} and close it. Target:
 * the scope at most 0.6x the raw threads (the JDK's preview {@code StructuredTaskScope} does it in
 * about 0.46x on these machines).
 *
 * <p>Run: {@code jmh/run ForkJoinBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 8, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
public class ForkJoinBenchmark {
  static final Callable<Integer> BODY = () -> 42;
  static final Runnable RUNNABLE = () -> {};

  @Param Impl impl;

  @Param("16")
  int tasks;

  private LeakLevel previous;

  @Setup
  public void setUp() {
    previous = Lifecycle.leakLevel(LeakLevel.SAMPLED);
  }

  @TearDown
  public void tearDown() {
    Lifecycle.leakLevel(previous);
  }

  @Benchmark
  public void forkJoin(Blackhole bh) throws Exception {
    impl.forkJoin(tasks, bh);
  }

  /** lifecycle and its anchors. */
  public enum Impl implements Candidate {
    /** Scope.open, fork each, join, close. Target: at most 0.6x RAW_VIRTUAL_THREADS. */
    SCOPE("RAW_VIRTUAL_THREADS") {
      @Override
      @SuppressWarnings("UnboundedWait") // the untimed join is what is measured; JMH times out
      void forkJoin(int tasks, Blackhole bh) throws Exception {
        try (Scope scope = Scope.open("fork")) {
          Task<?> last = null;
          for (int i = 0; i < tasks; i++) {
            last = scope.fork(BODY);
          }
          scope.join();
          bh.consume(last.get());
        }
      }
    },
    /** Anchor: Thread.ofVirtual().start each, then join each. */
    RAW_VIRTUAL_THREADS(null) {
      @Override
      @SuppressWarnings("UnboundedWait") // the untimed join is what is measured; JMH times out
      void forkJoin(int tasks, Blackhole bh) throws Exception {
        Thread[] threads = new Thread[tasks];
        for (int i = 0; i < tasks; i++) {
          threads[i] = Thread.ofVirtual().start(RUNNABLE);
        }
        for (Thread t : threads) {
          t.join();
        }
        bh.consume(threads);
      }
    },
    /** Anchor: submit each to a new virtual-thread-per-task executor, then close it (waits). */
    VIRTUAL_EXECUTOR(null) {
      @Override
      void forkJoin(int tasks, Blackhole bh) {
        Future<?> last = null;
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
          for (int i = 0; i < tasks; i++) {
            last = executor.submit(BODY);
          }
        }
        bh.consume(last.resultNow());
      }
    };

    private final String anchor;

    Impl(String anchor) {
      this.anchor = anchor;
    }

    @Override
    public String anchor() {
      return anchor;
    }

    abstract void forkJoin(int tasks, Blackhole bh) throws Exception;
  }
}
