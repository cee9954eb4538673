package io.lifecycle.core;

import static io.lifecycle.core.Internals.unique;
import static io.lifecycle.core.ScopeForkTest.awaitState;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** {@link Task}: states, outcome accessors, cancel (issue 3 req 1). */
class TaskTest {

  /** A running task is RUNNING; get() and exception() name the state. */
  @Test
  void running_accessorsThrowNamingState() throws Exception {
    try (Scope scope = Scope.open(unique("running"))) {
      CountDownLatch release = new CountDownLatch(1);
      Task<String> t =
          scope.fork(
              () -> {
                release.await();
                return "x";
              });
      assertEquals(Task.State.RUNNING, t.state());
      IllegalStateException e = assertThrows(IllegalStateException.class, t::get);
      assertTrue(e.getMessage().endsWith("has not succeeded: RUNNING"), e.getMessage());
      assertTrue(e.getMessage().contains(scope.path()), e.getMessage());
      assertThrows(IllegalStateException.class, t::exception);
      release.countDown();
      scope.join();
      assertEquals("x", t.get());
      e = assertThrows(IllegalStateException.class, t::exception);
      assertTrue(e.getMessage().endsWith("has not failed: SUCCEEDED"), e.getMessage());
    }
  }

  /** A failed task is FAILED; exception() returns the failure, get() throws. */
  @Test
  void failed_exceptionReturnsFailure() {
    try (Scope scope = Scope.open(unique("failed"))) {
      IOException failure = new IOException("boom");
      Task<Void> t =
          scope.fork(
              () -> {
                throw failure;
              });
      awaitState(t, Task.State.FAILED);
      assertSame(failure, t.exception());
      assertThrows(IllegalStateException.class, t::get);
    }
  }

  /** cancel() interrupts a running task, returns true once, and false after it finished. */
  @Test
  void cancel_interruptsOnceAndNotAfterFinish() throws Exception {
    try (Scope scope = Scope.open(unique("cancel"))) {
      CountDownLatch started = new CountDownLatch(1);
      CountDownLatch interrupted = new CountDownLatch(1);
      Task<Void> t =
          scope.fork(
              () -> {
                started.countDown();
                try {
                  new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                  interrupted.countDown();
                }
              });
      started.await();
      assertTrue(t.cancel());
      assertFalse(t.cancel());
      interrupted.await();
      assertEquals(Task.State.CANCELLED, t.state());
      scope.join();
      assertEquals(Task.State.CANCELLED, t.state(), "a cancelled task stays cancelled");

      Task<Integer> done = scope.fork(() -> 1);
      scope.join();
      assertFalse(done.cancel());
      assertEquals(Task.State.SUCCEEDED, done.state());
    }
  }

  /** toString shows the thread name and the state. */
  @Test
  void toString_showsThreadAndState() throws Exception {
    try (Scope scope = Scope.open(unique("shown"))) {
      Task<Integer> t = scope.fork(() -> 1);
      scope.join();
      assertEquals("Task[" + scope.path() + ", SUCCEEDED]", t.toString());
    }
  }
}
