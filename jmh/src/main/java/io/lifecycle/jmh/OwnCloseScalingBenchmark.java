package io.lifecycle.jmh;

import io.lifecycle.core.LeakLevel;
import io.lifecycle.core.Lifecycle;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * {@link OwnCloseBenchmark}'s open + own n + close as throughput on one thread and on two, for the
 * scaling of each owner: {@code twoThreads / oneThread} (2.0 is perfect on two free cores). Roots
 * opened on different threads go to different stripes of the root registry and count into a striped
 * counter, so a scope should scale; the JDK's {@code Cleaner} keeps one list behind one lock.
 *
 * <p>On a 2-core machine the two threads share the cores with JMH's own threads and with anything
 * else running: compare scaling only within one run, and note the load that {@link Run} prints.
 *
 * <p>Run: {@code jmh/run OwnCloseScalingBenchmark}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 8, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
public class OwnCloseScalingBenchmark {
  @Param({
    "SCOPE_DISABLED",
    "SCOPE_SAMPLED",
    "SCOPE_ALL",
    "TRY_WITH_RESOURCES",
    "CLOSER",
    "CLEANER"
  })
  OwnCloseBenchmark.Impl impl;

  @Param("1")
  int n;

  private LeakLevel previous;

  @Setup
  public void setUp() {
    previous = Lifecycle.leakLevel(impl.level == null ? Lifecycle.leakLevel() : impl.level);
  }

  @TearDown
  public void tearDown() {
    Lifecycle.leakLevel(previous);
  }

  @Benchmark
  @Threads(1)
  public void oneThread(Blackhole bh) throws Exception {
    impl.run(n, bh);
  }

  @Benchmark
  @Threads(2)
  public void twoThreads(Blackhole bh) throws Exception {
    impl.run(n, bh);
  }
}
