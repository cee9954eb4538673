package io.lifecycle.jmh;

import io.lifecycle.core.LeakLevel;
import io.lifecycle.core.Lifecycle;
import io.lifecycle.core.Scope;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
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

/**
 * The diagnostics a service calls while it runs: {@link Lifecycle#snapshot()} (live counts by
 * scope name and owned type) and {@link Lifecycle#openScopes()} (every open scope with what it
 * owns), with 1,000 live scopes (children of one root, each owning one resource) named with 1 or
 * 1,000 distinct names. The anchor is the least a counter snapshot can do: sum a map of striped
 * counters with as many keys into a sorted map, the way a metrics registry is read.
 *
 * <p>Run: {@code jmh/run SnapshotBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 8, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
public class SnapshotBenchmark {
  static final int SCOPES = 1_000;

  @Param Impl impl;

  @Param({"1", "1000"})
  int names;

  Scope root;
  Scope[] scopes;
  ConcurrentHashMap<String, LongAdder> counters;
  private LeakLevel previous;

  @Setup
  @SuppressWarnings("MustBeClosedChecker") // held past this method, closed at tear-down
  public void setUp() {
    previous = Lifecycle.leakLevel(LeakLevel.SAMPLED);
    root = Scope.builder("app").open();
    scopes = new Scope[SCOPES];
    counters = new ConcurrentHashMap<>();
    for (int i = 0; i < SCOPES; i++) {
      String name = names == 1 ? "job" : "job-" + (i % names);
      scopes[i] = root.child(name);
      scopes[i].own(new Res());
      counters.computeIfAbsent(name, k -> new LongAdder()).increment();
      counters.computeIfAbsent("Res", k -> new LongAdder()).increment();
    }
  }

  @TearDown
  public void tearDown() {
    root.close();
    Lifecycle.leakLevel(previous);
  }

  @Benchmark
  public Object read() {
    return impl.read(this);
  }

  /** lifecycle's diagnostics and the anchor. */
  public enum Impl implements Candidate {
    /** Lifecycle.snapshot(): prune and read both counter tables, sort into a Snapshot. */
    SNAPSHOT("COUNTER_MAP") {
      @Override
      Object read(SnapshotBenchmark b) {
        return Lifecycle.snapshot();
      }
    },
    /** Lifecycle.openScopes(): walk the tree, describe every open scope. */
    OPEN_SCOPES("COUNTER_MAP") {
      @Override
      Object read(SnapshotBenchmark b) {
        return Lifecycle.openScopes();
      }
    },
    /** Anchor: sum a ConcurrentHashMap of LongAdders with the same keys into a TreeMap. */
    COUNTER_MAP(null) {
      @Override
      Object read(SnapshotBenchmark b) {
        Map<String, Long> out = new TreeMap<>();
        for (Map.Entry<String, LongAdder> e : b.counters.entrySet()) {
          long n = e.getValue().sum();
          if (n != 0) {
            out.put(e.getKey(), n);
          }
        }
        return out;
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

    abstract Object read(SnapshotBenchmark b);
  }
}
