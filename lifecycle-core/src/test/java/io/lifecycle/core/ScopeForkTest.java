package io.lifecycle.core;

import static io.lifecycle.core.Internals.liveEntries;
import static io.lifecycle.core.Internals.slotCapacity;
import static io.lifecycle.core.Internals.unique;
import static io.lifecycle.core.ScopeTest.awaitWaitingIn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Forking and joining tasks, the join policies, and the close of a scope with running tasks (issue
 * 3 req 1, 2, 3, 7).
 */
@SuppressWarnings("MustBeClosedChecker") // scopes are closed explicitly to test close itself
class ScopeForkTest {

  // ---------------------------------------------------------------------------------------------
  // Fork and join
  // ---------------------------------------------------------------------------------------------

  /** Forked tasks run; after join their results are available through get(). */
  @Test
  void forkAndJoin_success_resultsViaGet() throws Exception {
    try (Scope scope = Scope.open(unique("fork"))) {
      Task<Integer> a = scope.fork(() -> 6 * 7);
      Task<String> b = scope.fork(() -> "b");
      scope.join();
      assertEquals(Task.State.SUCCEEDED, a.state());
      assertEquals(42, a.get());
      assertEquals("b", b.get());
    }
  }

  /** fork(Action) accepts a lambda calling a void method; the task's result is null. */
  @Test
  void forkAction_voidMethodLambda_compilesAndRuns() throws Exception {
    EventLog log = new EventLog();
    try (Scope scope = Scope.open(unique("action"))) {
      Task<Void> t = scope.fork(() -> log.add("ran"));
      Task<Void> checked =
          scope.fork(
              () -> {
                if (log.events().isEmpty() && Thread.interrupted()) {
                  throw new InterruptedException("an Action may throw checked exceptions");
                }
              });
      scope.join();
      assertEquals(Task.State.SUCCEEDED, t.state());
      assertNull(t.get());
      assertEquals(Task.State.SUCCEEDED, checked.state());
      assertEquals(List.of("ran"), log.events());
    }
  }

  /** A task runs on a virtual thread named after the scope path. */
  @Test
  void fork_threadNamedAfterScopePath() throws Exception {
    String name = unique("app");
    try (Scope app = Scope.open(name);
        Scope room = app.child("room")) {
      Task<String> t = room.fork(() -> Thread.currentThread().getName());
      Task<Boolean> virtual = room.fork(() -> Thread.currentThread().isVirtual());
      room.join();
      assertEquals(name + "/room", t.get());
      assertTrue(virtual.get());
    }
  }

  /** A custom ThreadFactory makes the task threads. */
  @Test
  void fork_customThreadFactory_used() throws Exception {
    AtomicInteger made = new AtomicInteger();
    ThreadFactory factory =
        r -> {
          made.incrementAndGet();
          return Thread.ofPlatform().name("custom-worker").daemon().unstarted(r);
        };
    try (Scope scope = Scope.builder(unique("custom")).threadFactory(factory).open()) {
      Task<String> t = scope.fork(() -> Thread.currentThread().getName());
      Task<Boolean> virtual = scope.fork(() -> Thread.currentThread().isVirtual());
      scope.join();
      assertEquals("custom-worker", t.get());
      assertFalse(virtual.get());
      assertEquals(2, made.get());
    }
  }

  /** A factory returning null fails the fork with IllegalStateException naming the scope. */
  @Test
  void fork_factoryReturnsNull_throwsIllegalState() throws Exception {
    try (Scope scope = Scope.builder(unique("null-factory")).threadFactory(r -> null).open()) {
      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> scope.fork(() -> 1));
      assertTrue(e.getMessage().contains(scope.path()), e.getMessage());
      scope.join(); // the failure was thrown to the forking thread: nothing to report
      assertEquals(0, liveEntries(scope));
    }
  }

  /**
   * A fork whose thread cannot be started throws to its caller only: it neither cancels the running
   * siblings nor makes later forks return cancelled tasks.
   */
  @Test
  void fork_threadStartFails_siblingsUnaffected() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    ThreadFactory flaky =
        r -> {
          if (calls.incrementAndGet() == 2) {
            throw new IllegalStateException("no thread for you");
          }
          return Thread.ofVirtual().unstarted(r);
        };
    try (Scope scope = Scope.builder(unique("flaky")).threadFactory(flaky).open()) {
      CountDownLatch release = new CountDownLatch(1);
      Task<String> running =
          scope.fork(
              () -> {
                release.await();
                return "done";
              });
      assertThrows(IllegalStateException.class, () -> scope.fork(() -> "never"));
      Task<String> later = scope.fork(() -> "later");
      release.countDown();
      scope.join();
      assertEquals(Task.State.SUCCEEDED, running.state());
      assertEquals(Task.State.SUCCEEDED, later.state());
      assertEquals("later", later.get());
    }
  }

  /** join() may be called by several threads at once, and again afterwards. */
  @Test
  void join_manyThreadsAndRepeated_allReturn() throws Exception {
    try (Scope scope = Scope.open(unique("joiners"))) {
      CountDownLatch release = new CountDownLatch(1);
      Task<Void> t = scope.fork(() -> release.await());
      List<Thread> joiners = new ArrayList<>();
      AtomicInteger joined = new AtomicInteger();
      for (ThreadKind kind : ThreadKind.values()) {
        joiners.add(
            kind.start(
                () -> {
                  try {
                    scope.join();
                    joined.incrementAndGet();
                  } catch (InterruptedException e) {
                    throw new AssertionError(e);
                  }
                }));
      }
      for (Thread j : joiners) {
        awaitWaitingIn(j, "join");
      }
      assertEquals(0, joined.get());
      release.countDown();
      for (Thread j : joiners) {
        j.join();
      }
      assertEquals(2, joined.get());
      assertEquals(Task.State.SUCCEEDED, t.state());
      scope.join();
      scope.join(Duration.ZERO);
    }
  }

  /** join() on a scope without tasks returns at once. */
  @Test
  void join_noTasks_returnsAtOnce() throws Exception {
    try (Scope scope = Scope.open(unique("idle"))) {
      scope.join();
      scope.join(Duration.ofMillis(1));
    }
  }

  /** A task calling join on its own scope waits for the others, not for itself. */
  @Test
  void join_fromOwnTask_doesNotWaitForItself() throws Exception {
    try (Scope scope = Scope.open(unique("self-join"))) {
      CountDownLatch release = new CountDownLatch(1);
      Task<String> other =
          scope.fork(
              () -> {
                release.await();
                return "other";
              });
      Task<Task.State> joiner =
          scope.fork(
              () -> {
                scope.join();
                return other.state();
              });
      release.countDown();
      assertTimeoutPreemptively(Duration.ofSeconds(30), () -> scope.join());
      assertEquals(Task.State.SUCCEEDED, joiner.get());
    }
  }

  /** An interrupted join throws InterruptedException and leaves the tasks running. */
  @Test
  void join_interrupted_throwsAndTasksKeepRunning() throws Exception {
    try (Scope scope = Scope.open(unique("interrupted-join"))) {
      CountDownLatch release = new CountDownLatch(1);
      Task<Void> t = scope.fork(() -> release.await());
      Thread.currentThread().interrupt();
      assertThrows(InterruptedException.class, scope::join);
      assertFalse(Thread.currentThread().isInterrupted());
      assertEquals(Task.State.RUNNING, t.state());
      release.countDown();
      scope.join();
      assertEquals(Task.State.SUCCEEDED, t.state());
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Fail-fast
  // ---------------------------------------------------------------------------------------------

  /**
   * Fail-fast: the first failure cancels (interrupts) the siblings, which see the interrupt and end
   * CANCELLED; join throws TaskFailedException with the failure as cause.
   */
  @Test
  void failFast_firstFailure_cancelsSiblingsAndJoinThrows() throws Exception {
    try (Scope scope = Scope.open(unique("fail-fast"))) {
      CountDownLatch siblingStarted = new CountDownLatch(1);
      CountDownLatch siblingInterrupted = new CountDownLatch(1);
      Task<Void> sibling =
          scope.fork(
              () -> {
                siblingStarted.countDown();
                try {
                  new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                  siblingInterrupted.countDown();
                  throw e;
                }
              });
      IOException failure = new IOException("first failure");
      Task<Void> failing =
          scope.fork(
              () -> {
                siblingStarted.await();
                throw failure;
              });
      TaskFailedException e = assertThrows(TaskFailedException.class, scope::join);
      assertSame(failure, e.getCause());
      assertTrue(e.getMessage().contains("1 task of " + scope.path() + " failed"), e.getMessage());
      siblingInterrupted.await();
      assertEquals(Task.State.CANCELLED, sibling.state());
      assertEquals(Task.State.FAILED, failing.state());
      assertSame(failure, failing.exception());
    }
  }

  /**
   * After a fail-fast failure, a fork returns a CANCELLED task that never runs, until a join ends
   * the round; then forks run again.
   */
  @Test
  void failFast_forkAfterTrip_returnsCancelledTaskUntilJoin() throws Exception {
    try (Scope scope = Scope.open(unique("tripped"))) {
      CountDownLatch siblingInterrupted = new CountDownLatch(1);
      CountDownLatch siblingStarted = new CountDownLatch(1);
      scope.fork(
          () -> {
            siblingStarted.countDown();
            try {
              new CountDownLatch(1).await();
            } catch (InterruptedException e) {
              siblingInterrupted.countDown();
            }
          });
      siblingStarted.await();
      scope.fork(
          () -> {
            throw new IllegalStateException("trip");
          });
      siblingInterrupted.await(); // the round is tripped once the siblings are cancelled

      AtomicBoolean ran = new AtomicBoolean();
      Task<Void> late = scope.fork(() -> ran.set(true));
      assertEquals(Task.State.CANCELLED, late.state());
      assertThrows(IllegalStateException.class, late::get);

      assertThrows(TaskFailedException.class, scope::join);
      Task<String> next = scope.fork(() -> "runs again");
      scope.join();
      assertEquals("runs again", next.get());
      assertFalse(ran.get());
    }
  }

  /** A failure observed through Task.exception() is not thrown again by join or close. */
  @Test
  void failFast_failureObservedByException_notReportedAgain() throws Exception {
    Scope scope = Scope.open(unique("observed"));
    IOException failure = new IOException("seen");
    Task<Void> t =
        scope.fork(
            () -> {
              throw failure;
            });
    awaitState(t, Task.State.FAILED);
    assertSame(failure, t.exception());
    scope.close(); // does not throw: the failure was observed
  }

  // ---------------------------------------------------------------------------------------------
  // Collect-all
  // ---------------------------------------------------------------------------------------------

  /** Collect-all: every task runs to its end, join throws with every failure attached. */
  @Test
  void collectAll_joinThrowsWithEveryFailure() throws Exception {
    try (Scope scope = Scope.builder(unique("collect")).joinPolicy(JoinPolicy.COLLECT_ALL).open()) {
      CountDownLatch failuresDone = new CountDownLatch(2);
      IOException f1 = new IOException("one");
      IllegalStateException f2 = new IllegalStateException("two");
      CountDownLatch release = new CountDownLatch(1);
      Task<String> slow =
          scope.fork(
              () -> {
                release.await(); // not interrupted by the failures
                return "slow";
              });
      Task<Void> t1 = scope.fork(() -> failAfter(failuresDone, f1));
      Task<Void> t2 = scope.fork(() -> failAfter(failuresDone, f2));
      awaitState(t1, Task.State.FAILED);
      awaitState(t2, Task.State.FAILED);
      assertEquals(Task.State.RUNNING, slow.state());
      release.countDown();

      TaskFailedException e = assertThrows(TaskFailedException.class, scope::join);
      Set<Throwable> all = new HashSet<>(Arrays.asList(e.getSuppressed()));
      all.add(e.getCause());
      assertEquals(Set.of(f1, f2), all);
      assertTrue(e.getMessage().startsWith("2 tasks of " + scope.path() + " failed"));
      assertEquals("slow", slow.get());
      scope.join(); // the failures were observed by the first join
    }
  }

  /** Collect-all keeps at most 64 failures per round and counts the rest. */
  @Test
  void collectAll_manyFailures_keptBoundedAndCounted() throws Exception {
    try (Scope scope =
        Scope.builder(unique("many-failures")).joinPolicy(JoinPolicy.COLLECT_ALL).open()) {
      List<Task<Void>> tasks = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        int n = i;
        tasks.add(
            scope.fork(
                () -> {
                  throw new IOException("failure " + n);
                }));
      }
      TaskFailedException e = assertThrows(TaskFailedException.class, scope::join);
      assertTrue(e.getMessage().contains("100 tasks"), e.getMessage());
      assertTrue(e.getMessage().contains("(36 not kept)"), e.getMessage());
      assertEquals(TaskGroup.MAX_FAILURES - 1, e.getSuppressed().length);
      for (Task<Void> t : tasks) {
        assertEquals(Task.State.FAILED, t.state());
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Join timeout
  // ---------------------------------------------------------------------------------------------

  /** join(Duration) cancels the tasks still running and throws TimeoutException when it passes. */
  @Test
  void joinTimeout_passes_cancelsRestAndThrows() throws Exception {
    try (Scope scope = Scope.open(unique("join-timeout"))) {
      CountDownLatch interrupted = new CountDownLatch(1);
      Task<Void> stuck =
          scope.fork(
              () -> {
                try {
                  new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                  interrupted.countDown();
                }
              });
      Task<String> quick = scope.fork(() -> "quick");
      awaitDone(quick); // finished before the join: not cancelled by its timeout
      TimeoutException e =
          assertThrows(TimeoutException.class, () -> scope.join(Duration.ofMillis(50)));
      assertTrue(e.getMessage().contains(scope.path()), e.getMessage());
      interrupted.await();
      assertEquals(Task.State.CANCELLED, stuck.state());
      assertEquals(Task.State.SUCCEEDED, quick.state());
    }
  }

  /** join(Duration) rejects a negative timeout, naming the value. */
  @Test
  void joinTimeout_negative_throwsIllegalArgument() {
    try (Scope scope = Scope.open(unique("negative"))) {
      ScopeBuilderTest.assertIae(
          "timeout must not be negative: PT-1S", () -> scope.join(Duration.ofSeconds(-1)));
    }
  }

  /** join(Duration) returns normally when the tasks finish in time. */
  @Test
  void joinTimeout_tasksFinish_returns() throws Exception {
    try (Scope scope = Scope.open(unique("in-time"))) {
      Task<Integer> t = scope.fork(() -> 1);
      scope.join(Duration.ofMinutes(1));
      assertEquals(1, t.get());
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Failures and close
  // ---------------------------------------------------------------------------------------------

  /** A task failure no join observed is in the close's exception. */
  @Test
  void close_unobservedFailure_inCloseException() {
    Scope scope = Scope.open(unique("unobserved"));
    TestResource r = scope.own(TestResource.of("r"));
    IOException failure = new IOException("nobody joined");
    Task<Void> t =
        scope.fork(
            () -> {
              throw failure;
            });
    awaitState(t, Task.State.FAILED);
    CloseFailedException e = assertThrows(CloseFailedException.class, scope::close);
    assertSame(failure, e.getCause());
    assertTrue(e.getMessage().contains("1 task failure no join observed"), e.getMessage());
    assertTrue(r.isClosed());
  }

  /**
   * A task failure no join observed is in the close's exception also when the task has finished and
   * left the scope, and the scope owns nothing else.
   */
  @Test
  void close_unobservedFailureOfFinishedTask_inCloseException() {
    Scope scope = Scope.open(unique("finished-failure"));
    IOException failure = new IOException("finished long ago");
    Task<Void> t =
        scope.fork(
            () -> {
              throw failure;
            });
    awaitDone(t);
    assertEquals(0, liveEntries(scope));
    CloseFailedException e = assertThrows(CloseFailedException.class, scope::close);
    assertSame(failure, e.getCause());
  }

  /** A failure thrown by join is observed: the close does not report it again. */
  @Test
  void close_failureObservedByJoin_notInCloseException() throws Exception {
    Scope scope = Scope.open(unique("joined"));
    scope.fork(
        () -> {
          throw new IOException("joined");
        });
    assertThrows(TaskFailedException.class, scope::join);
    scope.close();
  }

  /** A cancelled task that throws while stopping is not a failure. */
  @Test
  void close_cancelledTaskThrows_notAFailure() throws Exception {
    Scope scope = Scope.open(unique("cancelled-throws"));
    CountDownLatch started = new CountDownLatch(1);
    Task<Void> t =
        scope.fork(
            () -> {
              started.countDown();
              new CountDownLatch(1).await(); // throws InterruptedException when cancelled
            });
    started.await();
    scope.close();
    assertEquals(Task.State.CANCELLED, t.state());
  }

  // ---------------------------------------------------------------------------------------------
  // Close order with running tasks
  // ---------------------------------------------------------------------------------------------

  /**
   * Close cancels the tasks first and waits the grace for them, then closes resources in reverse
   * order, then returns.
   */
  @Test
  void close_tasksRunning_tasksCancelledFirstThenResourcesInReverse() throws Exception {
    EventLog log = new EventLog();
    Scope scope = Scope.builder(unique("order")).taskGrace(Duration.ofMinutes(1)).open();
    CountDownLatch started = new CountDownLatch(1);
    Task<Void> t =
        scope.fork(
            () -> {
              started.countDown();
              try {
                new CountDownLatch(1).await();
              } catch (InterruptedException e) {
                log.add("task interrupted");
              }
              log.add("task ended");
            });
    scope.own(TestResource.logging("r1", log));
    scope.own(TestResource.logging("r2", log));
    started.await();
    scope.close();
    log.add("close returned");
    assertEquals(
        List.of("task interrupted", "task ended", "r2", "r1", "close returned"), log.events());
    assertEquals(Task.State.CANCELLED, t.state());
  }

  /**
   * A task that ignores interrupts but stops when its resource closes: close cancels it, waits the
   * grace, closes the resource while the task still runs (which unblocks it), and returns only once
   * the task has ended.
   */
  @Test
  void close_taskIgnoresInterruptStopsOnResourceClose_returnsAfterTaskEnds() throws Exception {
    EventLog log = new EventLog();
    Scope scope = Scope.builder(unique("transport")).taskGrace(Duration.ofMillis(20)).open();
    scope.own(TestResource.logging("registered first", log));
    CountDownLatch transportClosed = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(1);
    AtomicReference<Task<?>> task = new AtomicReference<>();
    AtomicReference<Task.State> stateWhenTransportClosed = new AtomicReference<>();
    AtomicBoolean endedBeforeTransportClosed = new AtomicBoolean(true);
    scope.own(
        (AutoCloseable)
            () -> {
              stateWhenTransportClosed.set(task.get().state());
              endedBeforeTransportClosed.set(((TaskImpl<?>) task.get()).done);
              log.add("transport closed");
              transportClosed.countDown();
            });
    task.set(
        scope.fork(
            () -> {
              started.countDown();
              TestResource.blockUninterruptibly(transportClosed); // a write with no deadline
              log.add("task ended");
            }));
    started.await();
    scope.close();
    boolean endedWhenCloseReturned = ((TaskImpl<?>) task.get()).done;
    log.add("close returned");

    List<String> events = log.events();
    assertEquals(Task.State.CANCELLED, stateWhenTransportClosed.get(), "tasks are cancelled first");
    assertFalse(endedBeforeTransportClosed.get(), "the resource closes while the task still runs");
    assertTrue(events.indexOf("transport closed") < events.indexOf("task ended"), events::toString);
    assertTrue(events.indexOf("task ended") < events.indexOf("close returned"), events::toString);
    assertTrue(
        events.indexOf("transport closed") < events.indexOf("registered first"), events::toString);
    assertTrue(endedWhenCloseReturned, "close returned before the task's thread ended");
  }

  /** A close called from one of the scope's own tasks closes the scope and returns. */
  @Test
  void close_fromOwnTask_returnsWithoutWaitingForItself() throws Exception {
    Scope scope = Scope.open(unique("self-close"));
    TestResource r = scope.own(TestResource.of("r"));
    CountDownLatch returned = new CountDownLatch(1);
    AtomicBoolean openAfter = new AtomicBoolean(true);
    Task<Void> t =
        scope.fork(
            () -> {
              scope.close();
              openAfter.set(scope.isOpen());
              returned.countDown();
            });
    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> returned.await());
    assertFalse(openAfter.get());
    assertEquals(1, r.closeCount());
    scope.close(); // returns: closed by the task
    scope.join();
    assertTrue(t.state() != Task.State.RUNNING);
  }

  /** A task calling close while another thread closes the scope returns at once (re-entrant). */
  @Test
  void close_fromOwnTaskDuringClose_returnsAtOnce() throws Exception {
    Scope scope = Scope.open(unique("reentrant-task"));
    CountDownLatch started = new CountDownLatch(1);
    AtomicBoolean returnedInTask = new AtomicBoolean();
    scope.fork(
        () -> {
          started.countDown();
          try {
            new CountDownLatch(1).await();
          } catch (InterruptedException e) {
            scope.close();
            returnedInTask.set(true);
          }
        });
    started.await();
    assertTimeoutPreemptively(Duration.ofSeconds(30), scope::close);
    assertTrue(returnedInTask.get());
  }

  /** A task of a child closing the root returns at once, and the root's close completes. */
  @Test
  void close_fromTaskOfChild_returnsAtOnce() throws Exception {
    Scope root = Scope.open(unique("root"));
    Scope child = root.child("child");
    TestResource r = root.own(TestResource.of("r"));
    CountDownLatch returned = new CountDownLatch(1);
    child.fork(
        () -> {
          root.close();
          returned.countDown();
        });
    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> returned.await());
    assertFalse(root.isOpen());
    assertFalse(child.isOpen());
    assertEquals(1, r.closeCount());
  }

  // ---------------------------------------------------------------------------------------------
  // Many tasks, tree hygiene
  // ---------------------------------------------------------------------------------------------

  /** 10,000 tasks forked and joined: all succeeded, none left in the tree or in openScopes(). */
  @Test
  void fork10000_joined_noTaskLeft() throws Exception {
    String name = unique("ten-thousand");
    try (Scope scope = Scope.open(name)) {
      List<Task<Integer>> tasks = new ArrayList<>();
      for (int i = 0; i < 10_000; i++) {
        int n = i;
        tasks.add(scope.fork(() -> n));
      }
      scope.join();
      for (int i = 0; i < tasks.size(); i++) {
        assertEquals(Task.State.SUCCEEDED, tasks.get(i).state());
        assertEquals(i, tasks.get(i).get());
        assertTrue(((TaskImpl<?>) tasks.get(i)).done);
      }
      assertEquals(0, liveEntries(scope));
      assertTrue(slotCapacity(scope) <= 16, "capacity " + slotCapacity(scope));
      ScopeInfo info = info(name);
      assertTrue(info.tasks().isEmpty(), info::toString);
      assertFalse(Lifecycle.dump().contains("+> " + name + " ["));
    }
  }

  /**
   * Finished tasks leave a long-lived scope: 20,000 short tasks, forked and joined 100 at a time,
   * do not grow it.
   */
  @Test
  void fork_manyShortTasksOverTime_scopeDoesNotGrow() throws Exception {
    try (Scope scope = Scope.open(unique("long-lived"))) {
      int maxCapacity = 0;
      for (int round = 0; round < 200; round++) {
        for (int i = 0; i < 100; i++) {
          scope.fork(() -> {});
        }
        scope.join();
        maxCapacity = Math.max(maxCapacity, slotCapacity(scope));
      }
      assertEquals(0, liveEntries(scope));
      assertTrue(maxCapacity <= 256, "capacity grew to " + maxCapacity);
    }
  }

  /**
   * Fire-and-forget: tasks that are never joined leave the scope as their threads finish; 20,000 of
   * them, 100 at a time, do not grow its slot array.
   */
  @Test
  void fork_manyUnjoinedTasks_slotArrayDoesNotGrow() {
    try (Scope scope = Scope.open(unique("fire-and-forget"))) {
      int maxCapacity = 0;
      List<Task<?>> batch = new ArrayList<>();
      for (int round = 0; round < 200; round++) {
        for (int i = 0; i < 100; i++) {
          batch.add(scope.fork(() -> {}));
        }
        for (Task<?> t : batch) {
          awaitDone(t);
        }
        batch.clear();
        assertEquals(0, liveEntries(scope));
        maxCapacity = Math.max(maxCapacity, slotCapacity(scope));
      }
      assertTrue(maxCapacity <= 256, "capacity grew to " + maxCapacity);
    }
  }

  /** openScopes() and dump() list running tasks with their thread name and state. */
  @Test
  void runningTasks_listedInOpenScopesAndDump() throws Exception {
    String name = unique("listed");
    try (Scope root = Scope.open(name);
        Scope job = root.child("job")) {
      CountDownLatch started = new CountDownLatch(2);
      CountDownLatch release = new CountDownLatch(1);
      job.fork(
          () -> {
            started.countDown();
            release.await();
          });
      Task<Void> stubborn =
          job.fork(
              () -> {
                started.countDown();
                TestResource.blockUninterruptibly(release);
              });
      started.await();
      stubborn.cancel();

      ScopeInfo info = info(name + "/job");
      assertEquals(2, info.tasks().size(), info::toString);
      Set<Task.State> states = new HashSet<>();
      for (TaskInfo t : info.tasks()) {
        assertEquals(name + "/job", t.threadName());
        assertTrue(t.isVirtual());
        assertTrue(t.thread().isPresent());
        states.add(t.state());
      }
      assertEquals(Set.of(Task.State.RUNNING, Task.State.CANCELLED), states);
      assertTrue(info.toString().endsWith(": 2 tasks"), info::toString);

      String dump = Lifecycle.dump();
      assertTrue(dump.contains("+> " + name + "/job [RUNNING, virtual]"), dump);
      assertTrue(dump.contains("+> " + name + "/job [CANCELLED, virtual]"), dump);
      release.countDown();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Regressions (review of issue 3)
  // ---------------------------------------------------------------------------------------------

  /**
   * A child's task that, when cancelled, closes the parent another thread is closing returns at
   * once, and both closes finish (the parent's close closes the child, which waits for the task;
   * the task must not wait for the parent).
   */
  @ParameterizedTest
  @EnumSource(ThreadKind.class)
  void close_childTaskClosesAncestorBeingClosed_noDeadlock(ThreadKind kind) throws Exception {
    Scope parent = Scope.open(unique("ancestor"));
    Scope child = parent.child("child");
    TestResource r = parent.own(TestResource.of("r"));
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch taskClosedParent = new CountDownLatch(1);
    Task<Void> t =
        child.fork(
            () -> {
              started.countDown();
              try {
                new CountDownLatch(1).await(); // until cancelled by the parent's close
              } finally {
                parent.close();
                taskClosedParent.countDown();
              }
            });
    assertTrue(started.await(10, TimeUnit.SECONDS));
    Thread closer = kind.start(parent::close);
    assertTrue(taskClosedParent.await(10, TimeUnit.SECONDS), "the task's close of the parent hangs");
    assertTrue(closer.join(Duration.ofSeconds(10)), "the parent's close hangs");
    assertFalse(parent.isOpen());
    assertFalse(child.isOpen());
    assertEquals(1, r.closeCount());
    assertEquals(Task.State.CANCELLED, t.state());
  }

  /**
   * Fail-fast with two threads joining: both throw the round's TaskFailedException (the same
   * instance); neither returns normally from a round that failed. Repeated, since the joiners race
   * for the round's failures.
   */
  @Test
  void failFast_twoConcurrentJoiners_bothThrowSameException() throws Exception {
    for (int round = 0; round < 100; round++) {
      try (Scope scope = Scope.open(unique("two-joiners"))) {
        CountDownLatch fail = new CountDownLatch(1);
        IOException failure = new IOException("the round's failure");
        scope.fork(
            () -> {
              fail.await();
              throw failure;
            });
        scope.fork(() -> new CountDownLatch(1).await()); // a sibling, cancelled by the failure
        Object returnedNormally = new Object();
        List<AtomicReference<Object>> outcomes = new ArrayList<>();
        List<Thread> joiners = new ArrayList<>();
        for (ThreadKind kind : ThreadKind.values()) {
          AtomicReference<Object> outcome = new AtomicReference<>();
          outcomes.add(outcome);
          joiners.add(
              kind.start(
                  () -> {
                    try {
                      scope.join();
                      outcome.set(returnedNormally);
                    } catch (Throwable e) {
                      outcome.set(e);
                    }
                  }));
        }
        for (Thread j : joiners) {
          awaitWaitingIn(j, "join");
        }
        fail.countDown();
        for (Thread j : joiners) {
          assertTrue(j.join(Duration.ofSeconds(10)), "a joiner hangs");
        }
        Object first = outcomes.get(0).get();
        assertInstanceOf(TaskFailedException.class, first, "round " + round);
        assertSame(failure, ((TaskFailedException) first).getCause());
        assertSame(first, outcomes.get(1).get(), "both joiners throw the round's exception");
      }
    }
  }

  /**
   * Joiners that leave early (interrupted, or timed out) do not stay registered on a long-running
   * task: after 10,000 interrupted and 1,000 timed-out joins the task has no joiner left.
   */
  @Test
  void join_leftEarlyManyTimes_joinersDoNotPileUpOnTask() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Scope scope = Scope.open(unique("impatient"));
    try {
      Task<Void> t = scope.fork(() -> TestResource.blockUninterruptibly(release));
      for (int i = 0; i < 10_000; i++) {
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, scope::join);
      }
      assertEquals(0, Internals.joiners(t), "interrupted joiners left on the task");
      for (int i = 0; i < 1_000; i++) {
        assertThrows(TimeoutException.class, () -> scope.join(Duration.ofNanos(1)));
      }
      assertEquals(0, Internals.joiners(t), "timed-out joiners left on the task");
      assertFalse(((TaskImpl<?>) t).done, "the task ignores its cancellation and still runs");
    } finally {
      release.countDown(); // before the close, which waits for the task
      scope.close();
    }
  }

  /**
   * A task that closes its own scope and then fails: the close is over, so no join or close will
   * report the failure; it is logged at WARNING with the failure attached, not swallowed.
   */
  @Test
  void close_fromOwnTaskThenTaskFails_failureLogged() throws Exception {
    String name = unique("close-then-fail");
    try (LogCapture log = LogCapture.start()) {
      Scope scope = Scope.open(name);
      IOException failure = new IOException("failed after closing its own scope");
      Task<Void> t =
          scope.fork(
              () -> {
                scope.close();
                throw failure;
              });
      log.await(Level.WARNING, "of scope " + name + " failed", Duration.ofSeconds(10));
      List<LogRecord> records = log.records(Level.WARNING, "of scope " + name + " failed");
      assertEquals(1, records.size());
      assertSame(failure, records.get(0).getThrown());
      assertEquals(Task.State.FAILED, t.state());
      scope.close(); // closed by the task; nothing more to report
    }
  }

  /**
   * The task grace is shared by a whole close: a parent with 50 children, each with a task that
   * ignores its cancellation and stops only when its child's resource closes, closes in about one
   * grace, not one grace per child.
   */
  @Test
  void close_manyChildrenWithStubbornTasks_oneSharedGrace() throws Exception {
    Duration grace = Duration.ofMillis(200);
    int children = 50;
    Scope parent = Scope.builder(unique("shared-grace")).taskGrace(grace).open();
    CountDownLatch started = new CountDownLatch(children);
    List<Task<Void>> tasks = new ArrayList<>();
    for (int i = 0; i < children; i++) {
      Scope child = Scope.builder("child-" + i).taskGrace(grace).openIn(parent);
      CountDownLatch resourceClosed = new CountDownLatch(1);
      child.own((AutoCloseable) resourceClosed::countDown);
      tasks.add(
          child.fork(
              () -> {
                started.countDown();
                TestResource.blockUninterruptibly(resourceClosed);
              }));
    }
    assertTrue(started.await(10, TimeUnit.SECONDS));
    long start = System.nanoTime();
    parent.close();
    long took = System.nanoTime() - start;
    assertTrue(
        took < children * grace.toNanos() / 4,
        "close took " + took / 1_000_000 + " ms for " + children + " graces of " + grace);
    for (Task<Void> t : tasks) {
      assertTrue(((TaskImpl<?>) t).done);
    }
  }

  /**
   * After a fail-fast trip, a fork returns a cancelled task and logs one WARNING per round (naming
   * the scope and the remedy), however many forks are refused.
   */
  @Test
  void failFast_forksAfterTrip_warnOncePerRound() throws Exception {
    String name = unique("refused");
    String text = "scope " + name + ": a task failed and cancelled its siblings";
    try (LogCapture log = LogCapture.start();
        Scope scope = Scope.open(name)) {
      for (int round = 1; round <= 2; round++) {
        Task<Void> failing =
            scope.fork(
                () -> {
                  throw new IllegalStateException("trip");
                });
        awaitDone(failing); // the round is tripped once the failing task is counted out
        assertEquals(Task.State.CANCELLED, scope.fork(() -> {}).state());
        assertEquals(Task.State.CANCELLED, scope.fork(() -> {}).state());
        List<String> warnings = log.messages(Level.WARNING, text);
        assertEquals(round, warnings.size(), warnings::toString);
        assertTrue(warnings.get(0).contains("JoinPolicy.COLLECT_ALL"), warnings.get(0));
        assertThrows(TaskFailedException.class, scope::join);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers
  // ---------------------------------------------------------------------------------------------

  private static void failAfter(CountDownLatch done, Exception failure) throws Exception {
    done.countDown();
    throw failure;
  }

  /** Waits (spinning, bounded) until {@code task} reaches {@code state}. */
  static void awaitState(Task<?> task, Task.State state) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (task.state() != state) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(task + " did not reach " + state);
      }
      Thread.yield();
    }
  }

  /** Waits (spinning, bounded) until {@code task}'s thread has finished and left the scope. */
  static void awaitDone(Task<?> task) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!((TaskImpl<?>) task).done) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(task + " did not finish");
      }
      Thread.yield();
    }
  }

  static ScopeInfo info(String path) {
    return Lifecycle.openScopes().stream()
        .filter(i -> i.path().equals(path))
        .findFirst()
        .orElseThrow(() -> new AssertionError("not open: " + path));
  }

  static void assertCause(Class<? extends Throwable> type, Throwable t) {
    assertInstanceOf(type, t.getCause());
  }
}
