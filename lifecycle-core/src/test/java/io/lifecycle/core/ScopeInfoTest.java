package io.lifecycle.core;

import static io.lifecycle.core.Internals.unique;
import static io.lifecycle.core.ScopeForkTest.info;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** {@link ScopeInfo}, as read from {@link Lifecycle#openScopes()} (issue 2 req 7). */
class ScopeInfoTest {

  /** An info without a site, with children and a task, reads and prints as documented. */
  @Test
  void info_childrenAndTask() throws Exception {
    String name = unique("info");
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(1);
    try (Scope root = Scope.builder(name).leakLevel(LeakLevel.SAMPLED).open();
        Scope a = root.child("a");
        Scope b = root.child("b")) {
      root.own(TestResource.of("r"));
      root.fork(
          () -> {
            started.countDown();
            release.await();
          });
      started.await();
      ScopeInfo i = info(name);
      assertEquals(2, i.childScopes());
      assertEquals(1, i.tasks().size());
      assertEquals(Map.of("TestResource", 1), i.resources());
      assertTrue(
          i.toString()
              .matches(
                  name
                      + " \\(age \\d+ ms(, opened at [^)]+)?\\): TestResource x1, 2 children,"
                      + " 1 task"),
          i.toString());
      release.countDown();
    }
  }

  /** openedAtNanos() is the nanoTime reading taken at the open: between readings around it. */
  @Test
  void openedAtNanos_isTheOpenTime() {
    String name = unique("opened-at");
    long before = System.nanoTime();
    try (Scope root = Scope.open(name);
        Scope child = root.child("child")) {
      long after = System.nanoTime();
      for (String path : List.of(name, child.path())) {
        long at = info(path).openedAtNanos();
        assertTrue(at - before >= 0 && after - at >= 0, path + ": " + at + " not in [" + before
            + ", " + after + "]");
      }
    }
  }
}
