package io.lifecycle.core;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An owned resource for tests: counts its closes, logs them to an optional {@link EventLog}, and
 * may throw or block in {@code close()}.
 */
final class TestResource implements AutoCloseable {
  final String name;
  private final EventLog log;
  private final Throwable failure;
  private final CountDownLatch release;
  private final CountDownLatch entered = new CountDownLatch(1);
  private final AtomicInteger closes = new AtomicInteger();
  private volatile boolean interruptedOnClose;

  private TestResource(String name, EventLog log, Throwable failure, CountDownLatch release) {
    this.name = name;
    this.log = log;
    this.failure = failure;
    this.release = release;
  }

  static TestResource of(String name) {
    return new TestResource(name, null, null, null);
  }

  static TestResource logging(String name, EventLog log) {
    return new TestResource(name, log, null, null);
  }

  /** A resource whose close throws {@code failure} (an Exception or an Error). */
  static TestResource failing(String name, EventLog log, Throwable failure) {
    return new TestResource(name, log, failure, null);
  }

  /** A resource whose close blocks, ignoring interrupts, until {@code release} opens. */
  static TestResource blocking(String name, EventLog log, CountDownLatch release) {
    return new TestResource(name, log, null, release);
  }

  @Override
  public void close() throws Exception {
    interruptedOnClose = Thread.currentThread().isInterrupted();
    closes.incrementAndGet();
    entered.countDown();
    if (release != null) {
      blockUninterruptibly(release);
    }
    if (log != null) {
      log.add(name);
    }
    if (failure instanceof Exception e) {
      throw e;
    }
    if (failure instanceof Error e) {
      throw e;
    }
  }

  /** Blocks until {@code latch} opens, ignoring interrupts (a write with no deadline). */
  static void blockUninterruptibly(CountDownLatch latch) {
    boolean interrupted = false;
    while (true) {
      try {
        latch.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  int closeCount() {
    return closes.get();
  }

  boolean isClosed() {
    return closes.get() > 0;
  }

  boolean wasInterruptedOnClose() {
    return interruptedOnClose;
  }

  /** Waits until some thread has entered {@code close()}. */
  void awaitCloseEntered() throws InterruptedException {
    entered.await();
  }

  /** Waits up to {@code timeout} until some thread has entered {@code close()}; returns whether. */
  boolean awaitCloseEntered(Duration timeout) throws InterruptedException {
    return entered.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  @Override
  public String toString() {
    return "TestResource[" + name + "]";
  }
}
