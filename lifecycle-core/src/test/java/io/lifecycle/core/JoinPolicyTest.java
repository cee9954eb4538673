package io.lifecycle.core;

import static io.lifecycle.core.Internals.unique;
import static io.lifecycle.core.ScopeForkTest.awaitState;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** {@link JoinPolicy}: FAIL_FAST by default, COLLECT_ALL on request (issue 3 req 2). */
class JoinPolicyTest {

  /** Without a policy set, a failure cancels the running siblings (FAIL_FAST). */
  @Test
  void default_isFailFast() throws Exception {
    assertSame(JoinPolicy.FAIL_FAST, ScopeConfig.DEFAULT.joinPolicy);
    try (Scope scope = Scope.open(unique("default"))) {
      Task<Void> sibling = scope.fork(() -> new CountDownLatch(1).await());
      scope.fork(
          () -> {
            throw new IllegalStateException("fails");
          });
      awaitState(sibling, Task.State.CANCELLED);
      assertThrows(TaskFailedException.class, scope::join);
    }
  }

  /** COLLECT_ALL: a failure leaves the siblings running until they end. */
  @Test
  void collectAll_siblingsNotCancelled() throws Exception {
    try (Scope scope = Scope.builder(unique("collect")).joinPolicy(JoinPolicy.COLLECT_ALL).open()) {
      CountDownLatch release = new CountDownLatch(1);
      Task<String> sibling =
          scope.fork(
              () -> {
                release.await();
                return "done";
              });
      Task<Void> failing =
          scope.fork(
              () -> {
                throw new IllegalStateException("fails");
              });
      awaitState(failing, Task.State.FAILED);
      ScopeForkTest.awaitDone(failing);
      assertEquals(Task.State.RUNNING, sibling.state());
      release.countDown();
      assertThrows(TaskFailedException.class, scope::join);
      assertEquals("done", sibling.get());
    }
  }
}
