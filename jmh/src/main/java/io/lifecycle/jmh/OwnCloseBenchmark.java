package io.lifecycle.jmh;

import com.google.common.io.Closer;
import io.lifecycle.core.LeakLevel;
import io.lifecycle.core.Lifecycle;
import io.lifecycle.core.Scope;
import java.lang.StackWalker.StackFrame;
import java.lang.ref.Cleaner;
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
 * The cost of ownership on one thread: open an owner, give it {@code n} fresh resources, close it
 * (which closes them in reverse order). lifecycle's {@link Scope} at each {@link LeakLevel} against
 * a plain try-with-resources, Guava's {@link Closer}, the JDK's {@link Cleaner} (register the owner,
 * {@code clean()} at the end: the JDK's own mechanism for finding dropped owners) and a {@link
 * StackWalker} capture of 8 frames (what {@code ALL} does per scope).
 *
 * <p>Every variant allocates the same {@code n} resources and hands each to the blackhole, so the
 * resources cost the same everywhere; the difference is the owner. The owner object (the Closer,
 * the Cleaner's owner) goes to the blackhole too, as a scope's escapes into the runtime's registry:
 * without it the JIT scalar-replaces a Closer entirely (3.8 ns here, against 14 ns when it exists). The scope variants set the
 * runtime-wide level ({@link Lifecycle#leakLevel(LeakLevel)}) and open roots with {@link
 * Scope#open(String)}, the path a service takes.
 *
 * <p>Run: {@code jmh/run OwnCloseBenchmark} (or, with the jar built, {@code java -jar
 * jmh/target/benchmarks.jar OwnCloseBenchmark -prof gc}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 8, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
public class OwnCloseBenchmark {
  static final Cleaner JDK_CLEANER = Cleaner.create();
  static final StackWalker WALKER = StackWalker.getInstance();

  @Param Impl impl;

  @Param({"1", "16"})
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
  public void ownClose(Blackhole bh) throws Exception {
    impl.run(n, bh);
  }

  /** lifecycle at each leak level, and its anchors. */
  public enum Impl implements Candidate {
    /** Scope at DISABLED: no GC tracking, live counters only. Target: at most 1.5x CLOSER. */
    SCOPE_DISABLED(LeakLevel.DISABLED, "CLOSER"),
    /** Scope at the default SAMPLED: every scope GC-tracked. Target: at most 1.0x CLEANER. */
    SCOPE_SAMPLED(LeakLevel.SAMPLED, "CLEANER"),
    /** Scope at ALL: every scope carries its site. Target: at most 1.2x STACK_WALKER_8. */
    SCOPE_ALL(LeakLevel.ALL, "STACK_WALKER_8"),
    /** Scope at PARANOID: ALL plus a stack per own. No target; shown beside STACK_WALKER_8. */
    SCOPE_PARANOID(LeakLevel.PARANOID, "STACK_WALKER_8"),
    /** Anchor: nested try-with-resources, no owner object at all. */
    TRY_WITH_RESOURCES(null, null) {
      @Override
      void run(int n, Blackhole bh) {
        nest(n, bh);
      }
    },
    /** Anchor: Guava's Closer, create + register n + close. */
    CLOSER(null, null) {
      @Override
      void run(int n, Blackhole bh) throws Exception {
        Closer closer = Closer.create();
        try {
          for (int i = 0; i < n; i++) {
            bh.consume(closer.register(new Res()));
          }
        } finally {
          closer.close();
        }
        bh.consume(closer);
      }
    },
    /**
     * Anchor: the JDK's Cleaner: register an owner whose action closes the n resources, then
     * {@code clean()}; the mechanism a scope at SAMPLED replaces.
     */
    CLEANER(null, null) {
      @Override
      void run(int n, Blackhole bh) {
        Object owner = new Object();
        Held held = new Held(n);
        Cleaner.Cleanable cleanable = JDK_CLEANER.register(owner, held);
        try {
          for (int i = 0; i < n; i++) {
            bh.consume(held.add(new Res()));
          }
        } finally {
          cleanable.clean();
        }
        bh.consume(owner);
      }
    },
    /** Anchor: capture the caller's top 8 frames with a StackWalker, then close n resources. */
    STACK_WALKER_8(null, null) {
      @Override
      void run(int n, Blackhole bh) {
        bh.consume(WALKER.walk(s -> s.limit(8).toArray(StackFrame[]::new)));
        nest(n, bh);
      }
    };

    final LeakLevel level;
    private final String anchor;

    Impl(LeakLevel level, String anchor) {
      this.level = level;
      this.anchor = anchor;
    }

    @Override
    public String anchor() {
      return anchor;
    }

    /** The scope variants: open a root, own n, close. */
    void run(int n, Blackhole bh) throws Exception {
      try (Scope scope = Scope.open("bench")) {
        for (int i = 0; i < n; i++) {
          bh.consume(scope.own(new Res()));
        }
      }
    }

    /** n nested try-with-resources blocks. */
    static void nest(int n, Blackhole bh) {
      try (Res r = new Res()) {
        bh.consume(r);
        if (n > 1) {
          nest(n - 1, bh);
        }
      }
    }
  }

  /** The state of a Cleaner anchor's owner: what its cleaning action closes. */
  static final class Held implements Runnable {
    private final Res[] resources;
    private int size;

    Held(int capacity) {
      resources = new Res[capacity];
    }

    Res add(Res r) {
      resources[size++] = r;
      return r;
    }

    @Override
    public void run() {
      for (int i = size - 1; i >= 0; i--) {
        resources[i].close();
      }
    }
  }
}
