package io.lifecycle.jmh;

import com.google.common.io.Closer;
import io.lifecycle.core.Cleanup;
import io.lifecycle.core.LeakLevel;
import io.lifecycle.core.Lifecycle;
import io.lifecycle.core.Releaser;
import io.lifecycle.core.Scope;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * Retained bytes: what a live scope, or a live owned resource, keeps on the heap. Each invocation
 * makes {@code count} instances (a million by default) while the program holds them, and reads the
 * heap used after a full collection before and after; the difference over the count is the
 * secondary result {@code bytesPerInstance} (in bytes, not a rate). Everything the program holds
 * anyway (the resources themselves, the array that keeps the handles) is allocated before the first
 * reading, so only what the owner adds is counted: the node, the public handle, the slot in the
 * parent's array with its growth slack, the sampled allocation sites (1 scope in 128 at SAMPLED).
 * Targets: at most 96 bytes per scope and 32 per owned resource at SAMPLED. The primary score (the
 * time to make them) is not a target.
 *
 * <p>Anchors: a {@code Cleaner} registration per owner (the JDK's per-owner GC tracking), a
 * resource registered with Guava's {@code Closer}. {@link Layouts} prints the field layout of each
 * internal class with JOL, which explains the figures.
 *
 * <p>The forks use the parallel collector, whose used-heap figure after a full collection is the
 * exact sum of the live objects; G1 rounds a humongous array (the slots of a parent holding a
 * million children) up to whole regions, which adds about a byte per instance at this count.
 *
 * <p>Run: {@code jmh/run FootprintBenchmark} (a fork per row with a 2 GiB heap, a few seconds each).
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+UseParallelGC"})
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
public class FootprintBenchmark {
  static final Cleanup NO_OP = () -> {};
  static final Runnable NO_OP_RUNNABLE = () -> {};
  static final Releaser<Res> RELEASE = Res::close;

  @Param Impl impl;

  @Param("1000000")
  int count;

  private LeakLevel previous;

  @Setup
  public void setUp() {
    previous = Lifecycle.leakLevel(LeakLevel.SAMPLED);
  }

  @TearDown
  public void tearDown() {
    Lifecycle.leakLevel(previous);
  }

  /** The secondary result: bytes retained per instance, measured by the last invocation. */
  @AuxCounters(AuxCounters.Type.EVENTS)
  @State(org.openjdk.jmh.annotations.Scope.Thread)
  public static class Bytes {
    public double bytesPerInstance;
  }

  @Benchmark
  public void retained(Bytes out) throws Exception {
    Object[] handles = new Object[count];
    Object[] given = impl.given(count);
    try {
      long before = usedAfterGc();
      Object owner = impl.make(handles, given);
      long after = usedAfterGc();
      out.bytesPerInstance = (after - before) / (double) count;
      impl.close(owner, handles);
    } finally {
      Reference.reachabilityFence(given); // the resources must not be collected between readings
    }
  }

  /** Returns the heap used after full collections, once two readings agree within a kilobyte. */
  static long usedAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long last = Long.MAX_VALUE;
    for (int i = 0; i < 10; i++) {
      System.gc();
      long used = memory.getHeapMemoryUsage().getUsed();
      if (Math.abs(used - last) < 1024) {
        return Math.min(used, last);
      }
      last = used;
    }
    return last;
  }

  /** What is counted, per instance. */
  public enum Impl implements Candidate {
    /** A child scope at SAMPLED, its handle held. Target: at most 96 bytes. */
    SCOPE("CLEANER_REGISTRATION") {
      @Override
      @SuppressWarnings("MustBeClosedChecker") // held past this method, closed at tear-down
      Object make(Object[] handles, Object[] given) {
        Scope parent = Scope.builder("parent").leakLevel(LeakLevel.SAMPLED).open();
        for (int i = 0; i < handles.length; i++) {
          handles[i] = parent.child("child");
        }
        return parent;
      }
    },
    /** A root scope at SAMPLED (in the root registry instead of a parent), its handle held. */
    ROOT_SCOPE("CLEANER_REGISTRATION") {
      @Override
      @SuppressWarnings("MustBeClosedChecker") // held past this method, closed at tear-down
      Object make(Object[] handles, Object[] given) {
        for (int i = 0; i < handles.length; i++) {
          handles[i] = Scope.open("root"); // the runtime-wide level, SAMPLED here
        }
        return null;
      }

      @Override
      void close(Object owner, Object[] handles) {
        for (Object h : handles) {
          ((Scope) h).close();
        }
      }
    },
    /** A child scope at DISABLED (no GC tracking, no sites): the floor of a scope. */
    SCOPE_DISABLED("CLEANER_REGISTRATION") {
      @Override
      @SuppressWarnings("MustBeClosedChecker") // held past this method, closed at tear-down
      Object make(Object[] handles, Object[] given) {
        Scope parent = Scope.builder("parent").leakLevel(LeakLevel.DISABLED).open();
        for (int i = 0; i < handles.length; i++) {
          handles[i] = parent.child("child");
        }
        return parent;
      }
    },
    /** A resource owned with own(AutoCloseable) by one scope. Target: at most 32 bytes. */
    OWNED_RESOURCE("CLOSER_RESOURCE") {
      @Override
      Object[] given(int count) {
        return resources(count);
      }

      @Override
      Object make(Object[] handles, Object[] given) {
        Scope owner = Scope.builder("owner").leakLevel(LeakLevel.SAMPLED).open();
        for (Object r : given) {
          owner.own((Res) r);
        }
        return owner;
      }
    },
    /** A resource owned with own(resource, releaser) (a shared releaser). */
    OWNED_WITH_RELEASER("CLOSER_RESOURCE") {
      @Override
      Object[] given(int count) {
        return resources(count);
      }

      @Override
      Object make(Object[] handles, Object[] given) {
        Scope owner = Scope.builder("owner").leakLevel(LeakLevel.SAMPLED).open();
        for (Object r : given) {
          owner.own((Res) r, RELEASE);
        }
        return owner;
      }
    },
    /** An onClose action (a shared one), its registration not held by the program. */
    ON_CLOSE("CLOSER_RESOURCE") {
      @Override
      Object make(Object[] handles, Object[] given) {
        Scope owner = Scope.builder("owner").leakLevel(LeakLevel.SAMPLED).open();
        for (int i = 0; i < handles.length; i++) {
          owner.onClose(NO_OP);
        }
        return owner;
      }
    },
    /** Anchor: Cleaner.register(owner, shared action), the Cleanable held; owners given. */
    CLEANER_REGISTRATION(null) {
      @Override
      Object[] given(int count) {
        Object[] owners = new Object[count];
        for (int i = 0; i < count; i++) {
          owners[i] = new Object();
        }
        return owners;
      }

      @Override
      Object make(Object[] handles, Object[] given) {
        for (int i = 0; i < handles.length; i++) {
          handles[i] = OwnCloseBenchmark.JDK_CLEANER.register(given[i], NO_OP_RUNNABLE);
        }
        return null;
      }

      @Override
      void close(Object owner, Object[] handles) {
        for (Object h : handles) {
          ((Cleaner.Cleanable) h).clean();
        }
      }
    },
    /** Anchor: a resource registered with one Guava Closer. */
    CLOSER_RESOURCE(null) {
      @Override
      Object[] given(int count) {
        return resources(count);
      }

      @Override
      Object make(Object[] handles, Object[] given) {
        Closer closer = Closer.create();
        for (Object r : given) {
          closer.register((Res) r);
        }
        return closer;
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

    /** What the program has before the first reading (not counted). */
    Object[] given(int count) {
      return new Object[0];
    }

    /** Makes the instances; returns the owner that closes them, if any. */
    abstract Object make(Object[] handles, Object[] given);

    /** Releases everything made. */
    void close(Object owner, Object[] handles) throws IOException {
      if (owner instanceof AutoCloseable c) {
        try {
          c.close();
        } catch (IOException | RuntimeException e) {
          throw e;
        } catch (Exception e) {
          throw new IOException(e);
        }
      }
    }

    static Object[] resources(int count) {
      Object[] out = new Object[count];
      for (int i = 0; i < count; i++) {
        out[i] = new Res();
      }
      return out;
    }
  }
}
