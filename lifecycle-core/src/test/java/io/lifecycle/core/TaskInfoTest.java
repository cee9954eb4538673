package io.lifecycle.core;

import static io.lifecycle.core.Internals.unique;
import static io.lifecycle.core.ScopeForkTest.info;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** {@link TaskInfo}: a task as seen by {@link Lifecycle#openScopes()} (issue 3 req 1). */
class TaskInfoTest {

  /** A task on a custom platform thread: its name, state, thread and kind. */
  @Test
  void info_platformThread() throws Exception {
    String name = unique("platform");
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(1);
    AtomicReference<Thread> thread = new AtomicReference<>();
    try (Scope scope =
        Scope.builder(name)
            .threadFactory(r -> Thread.ofPlatform().name("worker-7").unstarted(r))
            .open()) {
      scope.fork(
          () -> {
            thread.set(Thread.currentThread());
            started.countDown();
            release.await();
          });
      started.await();
      TaskInfo t = info(name).tasks().get(0);
      assertEquals("worker-7", t.threadName());
      assertEquals(Task.State.RUNNING, t.state());
      assertFalse(t.isVirtual());
      assertSame(thread.get(), t.thread().orElseThrow());
      assertEquals("worker-7 [RUNNING]", t.toString());
      release.countDown();
    }
  }
}
