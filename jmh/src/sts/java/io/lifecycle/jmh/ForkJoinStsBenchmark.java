package io.lifecycle.jmh;

import io.lifecycle.core.LeakLevel;
import io.lifecycle.core.Lifecycle;
import io.lifecycle.core.Scope;
import java.util.concurrent.StructuredTaskScope;
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
 * {@link ForkJoinBenchmark} against the JDK's own structured concurrency: open a {@code
 * StructuredTaskScope}, fork 16 trivial tasks, join, close. Target: the lifecycle scope at most 1.0x.
 *
 * <p>{@code StructuredTaskScope} is a preview API whose shape changed between JDK 21 and 25; this
 * class is written against JDK 25's ({@code StructuredTaskScope.open()}, JEP 505) and is compiled
 * only by the {@code sts} profile, with {@code --enable-preview --release 25}, on a JDK 25
 * toolchain. Its forks run with {@code --enable-preview}.
 *
 * <p>Run: {@code mvn -pl jmh -am package -DskipTests -Psts}, then {@code jmh/run ForkJoinSts}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 8, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"--enable-preview", "-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
public class ForkJoinStsBenchmark {
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

  /** lifecycle and the JDK's StructuredTaskScope. */
  public enum Impl implements Candidate {
    /** Scope.open, fork each, join, close. Target: at most 1.0x STRUCTURED_TASK_SCOPE. */
    SCOPE("STRUCTURED_TASK_SCOPE") {
      @Override
      void forkJoin(int tasks, Blackhole bh) throws Exception {
        ForkJoinBenchmark.Impl.SCOPE.forkJoin(tasks, bh);
      }
    },
    /** Anchor: StructuredTaskScope.open(), fork each, join, close (JDK 25 preview API). */
    STRUCTURED_TASK_SCOPE(null) {
      @Override
      void forkJoin(int tasks, Blackhole bh) throws Exception {
        try (var scope = StructuredTaskScope.open()) {
          StructuredTaskScope.Subtask<Integer> last = null;
          for (int i = 0; i < tasks; i++) {
            last = scope.fork(ForkJoinBenchmark.BODY);
          }
          scope.join();
          bh.consume(last.get());
        }
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
