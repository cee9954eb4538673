package io.lifecycle.core;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The program {@link SystemPropertiesTest} runs in a child JVM, because the system properties are
 * read once, when the library's classes initialise. Prints {@code key=value} lines.
 */
final class PropertiesProbe {
  private PropertiesProbe() {}

  public static void main(String[] args) throws InterruptedException {
    switch (args[0]) {
      case "closeTimeout" -> closeTimeout();
      case "closeTimeoutSetting" -> closeTimeoutSetting();
      case "levels" -> levels();
      case "openAtExit" -> {
        Scope leftOpen = Scope.builder("left-open-at-exit").open();
        System.out.println("opened=" + leftOpen.path());
      }
      case "openAtExitBuilderOnly" -> {
        // nothing here touches Lifecycle: the builder's level spares even Lifecycle.level()
        Scope leftOpen = Scope.builder("left-open-by-builder").leakLevel(LeakLevel.ALL).open();
        System.out.println("opened=" + leftOpen.path());
      }
      case "starvedCarriers" -> starvedCarriers();
      case "lateHelper" -> lateHelper();
      default -> throw new IllegalArgumentException(args[0]);
    }
  }

  /** A default scope (no builder option) with a release that never returns. */
  @SuppressWarnings("MustBeClosedChecker")
  private static void closeTimeout() {
    CountDownLatch never = new CountDownLatch(1);
    Scope scope = Scope.open("bounded-by-property");
    scope.own((AutoCloseable) () -> TestResource.blockUninterruptibly(never));
    long start = System.nanoTime();
    try {
      scope.close();
      System.out.println("threw=false");
    } catch (CloseFailedException e) {
      System.out.println("threw=true");
      System.out.println(
          "abandoned=" + e.getMessage().contains("abandoned after the close timeout"));
    }
    System.out.println("tookMs=" + (System.nanoTime() - start) / 1_000_000);
  }

  /** The close timeout the runtime read, and where a default scope's close runs. */
  private static void closeTimeoutSetting() {
    System.out.println("closeTimeoutNanos=" + Settings.CLOSE_TIMEOUT_NANOS);
    Thread caller = Thread.currentThread();
    boolean[] inline = new boolean[1];
    try (Scope scope = Scope.open("default-close")) {
      scope.onClose(() -> inline[0] = Thread.currentThread() == caller);
    }
    System.out.println("releasedOnCaller=" + inline[0]);
  }

  /**
   * A bounded close (timeout 50 ms) of three resources while the only virtual-thread carrier (run
   * with parallelism and maxPoolSize 1) is held by a spinning virtual thread until 200 ms into the
   * close: the close's helper cannot start a release before the deadline, nor in the first slice
   * after it (the carrier frees up in the middle of the second slice).
   */
  @SuppressWarnings("MustBeClosedChecker")
  private static void starvedCarriers() throws InterruptedException {
    long timeoutMs = 50;
    int n = 3;
    try (Scope warmUp = Scope.open("warm-up")) {
      warmUp.own((AutoCloseable) () -> {}); // loads the release path before the carrier is taken
    }
    AtomicInteger started = new AtomicInteger();
    AtomicInteger reports = new AtomicInteger();
    AtomicInteger falseBlames = new AtomicInteger();
    Registration listener =
        Lifecycle.addLeakListener(
            new LeakListener() {
              @Override
              public void onLeak(LeakReport report) {}

              @Override
              public void onStuck(StuckReport report) {
                // each report is of a distinct entry: at the k-th, k releases must have started
                if (started.get() < reports.incrementAndGet()) {
                  falseBlames.incrementAndGet();
                }
              }
            });
    AtomicIntegerArray closes = new AtomicIntegerArray(n);
    CountDownLatch released = new CountDownLatch(n);
    AtomicLong firstReleaseAt = new AtomicLong();
    Scope scope = Scope.builder("starved").closeTimeout(Duration.ofMillis(timeoutMs)).open();
    for (int i = 0; i < n; i++) {
      int k = i;
      scope.own(
          (AutoCloseable)
              () -> {
                firstReleaseAt.compareAndSet(0, System.nanoTime());
                started.incrementAndGet();
                closes.incrementAndGet(k);
                released.countDown();
              });
    }
    CountDownLatch spinning = new CountDownLatch(1);
    AtomicLong spinUntil = new AtomicLong(Long.MAX_VALUE);
    Thread spinner =
        Thread.ofVirtual()
            .start(
                () -> {
                  spinning.countDown();
                  while (System.nanoTime() - spinUntil.get() < 0) {
                    Thread.onSpinWait(); // holds the carrier: a virtual thread is not preempted
                  }
                });
    spinning.await();
    long start = System.nanoTime();
    spinUntil.set(start + Duration.ofMillis(200).toNanos());
    String outcome;
    try {
      scope.close();
      outcome = "returned";
    } catch (CloseFailedException e) {
      outcome = e.getMessage();
    }
    boolean all = released.await(5, TimeUnit.SECONDS);
    spinner.join();
    listener.close();
    long first = firstReleaseAt.get();
    System.out.println("outcome=" + outcome);
    System.out.println("timeoutMs=" + timeoutMs);
    System.out.println("firstReleaseMs=" + (first == 0 ? -1 : (first - start) / 1_000_000));
    System.out.println("allReleased=" + all);
    System.out.println("closes=" + closes);
    System.out.println("stuckReports=" + reports.get());
    System.out.println("falseBlames=" + falseBlames.get());
  }

  /**
   * A bounded close (timeout 50 ms) of one resource whose release takes 60 ms, while the only
   * carrier is held until 110 ms into the close: the helper starts the release about 40 ms before
   * the end of the first slice after the deadline (at about 150 ms), and needs 60 ms, well within a
   * slice of its own.
   */
  @SuppressWarnings("MustBeClosedChecker")
  private static void lateHelper() throws InterruptedException {
    long timeoutMs = 50;
    try (Scope warmUp = Scope.open("warm-up")) {
      warmUp.own((AutoCloseable) () -> {}); // loads the release path before the carrier is taken
    }
    AtomicInteger reports = new AtomicInteger();
    Registration listener =
        Lifecycle.addLeakListener(
            new LeakListener() {
              @Override
              public void onLeak(LeakReport report) {}

              @Override
              public void onStuck(StuckReport report) {
                reports.incrementAndGet();
                System.out.println("stuck=" + report.what() + " for " + report.stuckFor());
              }
            });
    AtomicLong releaseStartedAt = new AtomicLong();
    AtomicLong releaseEndedAt = new AtomicLong();
    Scope scope = Scope.builder("late").closeTimeout(Duration.ofMillis(timeoutMs)).open();
    scope.own(
        (AutoCloseable)
            () -> {
              releaseStartedAt.set(System.nanoTime());
              Thread.sleep(60); // slow, not stuck
              releaseEndedAt.set(System.nanoTime());
            });
    CountDownLatch spinning = new CountDownLatch(1);
    AtomicLong spinUntil = new AtomicLong(Long.MAX_VALUE);
    Thread spinner =
        Thread.ofVirtual()
            .start(
                () -> {
                  spinning.countDown();
                  while (System.nanoTime() - spinUntil.get() < 0) {
                    Thread.onSpinWait();
                  }
                });
    spinning.await();
    long start = System.nanoTime();
    spinUntil.set(start + Duration.ofMillis(110).toNanos());
    String outcome;
    try {
      scope.close();
      outcome = "returned";
    } catch (CloseFailedException e) {
      outcome = e.getMessage();
    }
    long returnedAt = System.nanoTime();
    spinner.join();
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (releaseEndedAt.get() == 0 && System.nanoTime() - deadline < 0) {
      Thread.sleep(10);
    }
    listener.close();
    System.out.println("outcome=" + outcome);
    System.out.println("timeoutMs=" + timeoutMs);
    System.out.println("releaseStartMs=" + (releaseStartedAt.get() - start) / 1_000_000);
    System.out.println("releaseEndMs=" + (releaseEndedAt.get() - start) / 1_000_000);
    System.out.println("closeReturnedMs=" + (returnedAt - start) / 1_000_000);
    System.out.println("stuckReports=" + reports.get());
  }

  @SuppressWarnings("MustBeClosedChecker")
  private static void levels() {
    System.out.println("level=" + Lifecycle.leakLevel());
    int sites = 0;
    for (int i = 0; i < 100; i++) {
      try (Scope s = Scope.builder("sampled").leakLevel(LeakLevel.SAMPLED).open()) {
        if (s.node.trace != null) {
          sites++;
        }
      }
    }
    System.out.println("sampledSites=" + sites);
    System.out.println("taskGraceMs=" + ScopeConfig.DEFAULT.taskGraceNanos / 1_000_000);
  }
}
