package io.lifecycle.core;

import java.lang.System.Logger.Level;
import java.lang.ref.PhantomReference;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Finds scopes dropped without close: the garbage collector enqueues the {@link ScopeNode} of a
 * handle that became phantom reachable; a daemon thread ({@code lifecycle-cleaner}), or a thread
 * in {@link Lifecycle#awaitCleanup}, takes it from the queue, reports it and closes it.
 *
 * <p>Only the topmost leaked scope of a subtree is reported: a node whose ancestor's handle is
 * also gone (its reference cleared while it is still open) is left to that ancestor, whose report
 * lists it and whose close closes it.
 */
final class Tracker {
  private Tracker() {}

  private static final ReferenceQueue<Object> QUEUE = new ReferenceQueue<>();

  /** Nodes taken from the queue whose processing has not finished. */
  private static final LongAdder IN_FLIGHT = new LongAdder();

  /** The daemon thread that serves the queue. */
  private static final Thread CLEANER;

  static {
    Thread t = new Thread(Tracker::drainForever, "lifecycle-cleaner");
    t.setDaemon(true);
    t.setContextClassLoader(null); // never pin an application's class loader
    t.start();
    CLEANER = t;
  }

  static ReferenceQueue<Object> queue() {
    return QUEUE;
  }

  private static void drainForever() {
    while (true) {
      try {
        process(QUEUE.remove());
      } catch (InterruptedException e) {
        // nobody interrupts this thread on purpose; keep serving the queue
      } catch (Throwable t) {
        Reporter.LOG.log(Level.ERROR, "the lifecycle cleaner failed to process a leak", t);
      }
    }
  }

  /** Takes one reference from the queue and handles it. */
  static void process(Reference<?> ref) {
    if (ref instanceof Sentinel s) {
      s.seen = true;
      return;
    }
    if (!(ref instanceof ScopeNode node)) {
      return;
    }
    IN_FLIGHT.increment();
    try {
      handle(node);
    } finally {
      IN_FLIGHT.decrement();
    }
  }

  private static void handle(ScopeNode node) {
    if (node.state != ScopeNode.OPEN) {
      return;
    }
    for (ScopeNode a = node.parent; a != null; a = a.parent) {
      int s = a.state;
      if (s == ScopeNode.CLOSING_LEAKED || (s == ScopeNode.OPEN && a.tracked() && a.refersTo(null))) {
        return; // the ancestor leaked too: its report covers this scope
      }
    }
    ScopeNode.LeakCleanup cleanup = node.closeLeaked();
    if (cleanup != null) {
      Reporter.leak(new LeakReport(node, cleanup.inventory(), cleanup.failure()));
    }
  }

  /**
   * Runs collections and processes what they find until two rounds in a row find nothing new, or
   * the timeout passes; returns the leak reports delivered meanwhile (by any thread).
   */
  static List<LeakReport> awaitCleanup(long timeoutNanos) throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException("interrupted before awaiting the cleanup");
    }
    List<LeakReport> sink = Reporter.startCollecting();
    try {
      long deadline = Checks.deadline(System.nanoTime(), timeoutNanos);
      int quietRounds = 0;
      while (quietRounds < 2 && deadline - System.nanoTime() > 0) {
        int before = sink.size();
        round(deadline);
        awaitInFlight(deadline);
        quietRounds = sink.size() == before ? quietRounds + 1 : 0;
      }
      synchronized (sink) {
        return List.copyOf(new ArrayList<>(sink));
      }
    } finally {
      Reporter.stopCollecting(sink);
    }
  }

  /** One collection: enqueue a sentinel, collect, and process until the sentinel comes back. */
  private static void round(long deadline) throws InterruptedException {
    Sentinel s = new Sentinel(); // reachable until the end: an unreachable reference is never queued
    try {
      System.gc();
      while (!s.seen) {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
          return;
        }
        Reference<?> r = QUEUE.remove(Math.min(left, 10));
        if (r != null) {
          process(r);
        } else if (!s.seen && s.refersTo(null)) {
          Thread.onSpinWait(); // cleared, not yet enqueued by the reference handler
        } else if (!s.seen) {
          System.gc();
        }
      }
      Reference<?> r;
      while ((r = QUEUE.poll()) != null) {
        process(r);
      }
    } finally {
      Reference.reachabilityFence(s);
    }
  }

  /**
   * Waits until the cleaner thread is idle: nothing in flight, and the thread parked in the queue
   * (not between taking a reference and counting it in flight).
   */
  private static void awaitInFlight(long deadline) throws InterruptedException {
    while (!idle() && deadline - System.nanoTime() > 0) {
      Thread.sleep(1);
    }
  }

  private static boolean idle() {
    if (IN_FLIGHT.sum() > 0) {
      return false;
    }
    Thread.State s = CLEANER.getState();
    return s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING;
  }

  /** A reference to a throwaway object: when it comes back, a collection has been processed. */
  private static final class Sentinel extends PhantomReference<Object> {
    volatile boolean seen;

    Sentinel() {
      super(new Object(), QUEUE);
    }
  }
}
