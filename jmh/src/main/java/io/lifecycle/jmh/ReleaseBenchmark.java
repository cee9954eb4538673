package io.lifecycle.jmh;

import io.lifecycle.core.Cleanup;
import io.lifecycle.core.LeakLevel;
import io.lifecycle.core.Lifecycle;
import io.lifecycle.core.Registration;
import io.lifecycle.core.Scope;
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
 * A long-lived owner must not grow, or slow down, with what it holds: own one thing and release it
 * early, into a parent that holds 0 or 100,000 live siblings of the same kind. Target: with
 * 100,000 siblings at most 1.2x with 0. The anchor is the JDK's {@link Cleaner} (register and
 * {@code clean()} with as many live registrations), whose list is constant time too. The leak level
 * is the default, SAMPLED.
 *
 * <p>Run: {@code jmh/run ReleaseBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 8, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
public class ReleaseBenchmark {
  static final Cleanup NO_OP = () -> {};
  static final Runnable NO_OP_RUNNABLE = () -> {};

  @Param Impl impl;

  @Param({"0", "100000"})
  int siblings;

  Scope parent;
  Object[] held;
  Object[] owners;
  int oldest;
  private LeakLevel previous;

  @Setup
  public void setUp() {
    previous = Lifecycle.leakLevel(LeakLevel.SAMPLED);
    parent = Scope.builder("parent").open();
    held = new Object[siblings];
    owners = new Object[siblings];
    for (int i = 0; i < siblings; i++) {
      held[i] = impl.sibling(this, i);
    }
  }

  @TearDown
  public void tearDown() throws Exception {
    for (Object o : held) {
      ((AutoCloseable) o).close();
    }
    parent.close();
    Lifecycle.leakLevel(previous);
  }

  @Benchmark
  public void ownRelease(Blackhole bh) throws Exception {
    impl.ownRelease(this, bh);
  }

  /** What is owned and released early. */
  public enum Impl implements Candidate {
    /** Open a child scope and close it: the request/job pattern. */
    CHILD_SCOPE("CLEANER") {
      @Override
      @SuppressWarnings("MustBeClosedChecker") // held past this method, closed at tear-down
      Object sibling(ReleaseBenchmark b, int i) {
        return b.parent.child("sibling");
      }

      @Override
      void ownRelease(ReleaseBenchmark b, Blackhole bh) {
        try (Scope child = b.parent.child("job")) {
          bh.consume(child);
        }
      }
    },
    /**
     * Open a child scope and close the oldest live one, so the siblings rotate through the parent
     * and releases leave holes in the middle of its slots, not only at the end.
     */
    CHILD_SCOPE_OLDEST("CLEANER") {
      @Override
      @SuppressWarnings("MustBeClosedChecker") // held past this method, closed at tear-down
      Object sibling(ReleaseBenchmark b, int i) {
        return b.parent.child("sibling");
      }

      @Override
      @SuppressWarnings("MustBeClosedChecker") // held past this method, closed at tear-down
      void ownRelease(ReleaseBenchmark b, Blackhole bh) {
        Scope child = b.parent.child("sibling");
        bh.consume(child);
        Object[] held = b.held;
        if (held.length == 0) {
          child.close();
          return;
        }
        int i = b.oldest;
        ((Scope) held[i]).close();
        held[i] = child;
        b.oldest = i + 1 == held.length ? 0 : i + 1;
      }
    },
    /** Register an onClose action and close its registration (runs it now, deregisters it). */
    REGISTRATION("CLEANER") {
      @Override
      Object sibling(ReleaseBenchmark b, int i) {
        return b.parent.onClose(NO_OP);
      }

      @Override
      void ownRelease(ReleaseBenchmark b, Blackhole bh) {
        Registration r = b.parent.onClose(NO_OP);
        bh.consume(r);
        r.close();
      }
    },
    /** Anchor: Cleaner.register of a fresh owner, then clean(), with as many live registrations. */
    CLEANER(null) {
      @Override
      Object sibling(ReleaseBenchmark b, int i) {
        Object owner = new Object();
        b.owners[i] = owner;
        Cleaner.Cleanable c = OwnCloseBenchmark.JDK_CLEANER.register(owner, NO_OP_RUNNABLE);
        return (AutoCloseable) c::clean;
      }

      @Override
      void ownRelease(ReleaseBenchmark b, Blackhole bh) {
        Object owner = new Object();
        Cleaner.Cleanable c = OwnCloseBenchmark.JDK_CLEANER.register(owner, NO_OP_RUNNABLE);
        bh.consume(c);
        c.clean();
        bh.consume(owner);
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

    /** Makes the i-th live sibling; returns what closes it at tear-down. */
    abstract Object sibling(ReleaseBenchmark b, int i);

    abstract void ownRelease(ReleaseBenchmark b, Blackhole bh) throws Exception;
  }
}
