package io.lifecycle.core;

import java.util.concurrent.CountDownLatch;

/**
 * The program {@link SystemPropertiesTest} runs in a child JVM, because the system properties are
 * read once, when the library's classes initialise. Prints {@code key=value} lines.
 */
final class PropertiesProbe {
  private PropertiesProbe() {}

  public static void main(String[] args) {
    switch (args[0]) {
      case "closeTimeout" -> closeTimeout();
      case "levels" -> levels();
      case "openAtExit" -> {
        Scope leftOpen = Scope.builder("left-open-at-exit").open();
        System.out.println("opened=" + leftOpen.path());
      }
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
