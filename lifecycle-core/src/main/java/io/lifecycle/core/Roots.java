package io.lifecycle.core;

import java.util.ArrayList;
import java.util.List;

/**
 * The open root scopes that the collector tracks, so that a dropped root stays reachable until
 * the collector reports it, and so that {@link Lifecycle#openScopes()} can find them. (A root at
 * {@link LeakLevel#DISABLED} is not held here: dropped, it is simply collected.) The first root
 * installs the shutdown hook that lists the roots still open at JVM exit.
 *
 * <p>Implementation notes: the roots are spread over a power-of-two number of stripes, each a
 * {@link Slots} list guarded by its own monitor, chosen by the opening thread's identity hash (a
 * random number per thread, cached in its header: thread ids, handed out in sequence with gaps,
 * can make two busy threads collide every time). Each stripe is padded to its own cache lines, so threads working on different stripes do not
 * share a line. Threads opening and closing roots therefore rarely share a lock, and there is no
 * global lock on the open/close path (the JDK's {@code Cleaner} keeps one list behind one lock). A
 * root remembers its stripe and its slot, so closing it is constant time even when it closes on
 * another thread.
 */
final class Roots {
  private Roots() {}

  private static final Slots[] STRIPES;
  private static final int MASK;

  /**
   * A stripe, padded after its fields so that the next stripe (allocated next to it) starts at
   * least two cache lines away. The padding is never read.
   */
  @SuppressWarnings("unused")
  private static final class Stripe extends Slots {
    long p00, p01, p02, p03, p04, p05, p06, p07;
    long p10, p11, p12, p13, p14, p15, p16, p17;
  }

  static {
    int cpus = Math.max(2, Runtime.getRuntime().availableProcessors());
    int n = Math.min(256, Integer.highestOneBit(cpus * 8 - 1) << 1);
    STRIPES = new Slots[n];
    for (int i = 0; i < n; i++) {
      STRIPES[i] = new Stripe();
    }
    MASK = n - 1;
    if (Settings.REPORT_OPEN_AT_EXIT) {
      try {
        Thread hook = new Thread(Lifecycle::reportOpenAtExit, "lifecycle-exit-report");
        hook.setContextClassLoader(null); // never pin an application's class loader
        Runtime.getRuntime().addShutdownHook(hook);
      } catch (IllegalStateException | SecurityException e) {
        // shutting down already, or not allowed: nothing to report then
      }
    }
  }

  /** Returns the stripe for a root opened by the current thread. */
  static int stripe() {
    int h = System.identityHashCode(Thread.currentThread()); // random per thread, then cached
    return (h ^ (h >>> 16)) & MASK;
  }

  static void add(ScopeNode root, int stripe) {
    Slots s = STRIPES[stripe];
    synchronized (s) {
      root.slot(s.append(root));
    }
  }

  static void remove(ScopeNode root, int stripe) {
    Slots s = STRIPES[stripe];
    synchronized (s) {
      s.remove(root.slot());
    }
  }

  /** Returns the open roots, in no particular order. */
  static List<ScopeNode> all() {
    List<ScopeNode> out = new ArrayList<>();
    for (Slots s : STRIPES) {
      synchronized (s) {
        Object[] a = s.slots;
        for (int i = 0; i < s.size; i++) {
          if (a[i] instanceof ScopeNode n) {
            out.add(n);
          }
        }
      }
    }
    return out;
  }
}
