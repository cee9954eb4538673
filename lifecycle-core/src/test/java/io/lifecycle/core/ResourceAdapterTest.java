package io.lifecycle.core;

import static io.lifecycle.core.Internals.unique;
import static io.lifecycle.core.ScopeCloseTimeoutTest.hasFrame;
import static io.lifecycle.core.ScopeCloseTimeoutTest.ignoreInterrupts;
import static io.lifecycle.core.ScopeTest.assertNpe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Timer;
import java.util.TimerTask;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Built-in, registered and ServiceLoader-found {@link ResourceAdapter}s (issue 3 req 5). */
@SuppressWarnings("MustBeClosedChecker") // scopes are closed explicitly to test close itself
class ResourceAdapterTest {

  /** A type that is not AutoCloseable. */
  static class Handle {
    final List<String> releasedBy = new ArrayList<>();
  }

  /** A subtype, to test that the most specific adapter wins. */
  static final class SubHandle extends Handle {}

  /** AutoCloseable and Runnable: an adapter of Runnable must not replace its close(). */
  static final class Both implements AutoCloseable, Runnable {
    final AtomicBoolean closed = new AtomicBoolean();
    final AtomicBoolean adapted = new AtomicBoolean();

    @Override
    public void close() {
      closed.set(true);
    }

    @Override
    public void run() {}
  }

  /** An adapter releasing {@code T} by recording its own name. */
  static <T extends Handle> ResourceAdapter<T> recording(Class<T> type, String name) {
    return new ResourceAdapter<>() {
      @Override
      public Class<T> type() {
        return type;
      }

      @Override
      public void release(T handle, ReleaseContext context) {
        handle.releasedBy.add(name);
      }
    };
  }

  // ---------------------------------------------------------------------------------------------
  // Built-ins
  // ---------------------------------------------------------------------------------------------

  /** An owned Thread is interrupted and joined: it has ended when close returns. */
  @Test
  void thread_interruptedAndJoined() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    Thread thread =
        Thread.ofPlatform()
            .start(
                () -> {
                  started.countDown();
                  try {
                    new CountDownLatch(1).await();
                  } catch (InterruptedException e) {
                    // ends
                  }
                });
    started.await();
    Scope scope = Scope.open(unique("thread"));
    assertSame(thread, scope.own(thread));
    scope.close();
    assertFalse(thread.isAlive());
  }

  /** A Thread that ignores the interrupt is reported with its stack; the close still returns. */
  @Test
  void thread_ignoresInterrupt_reportedWithStack() throws Exception {
    String name = unique("stubborn-thread");
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(1);
    Thread thread =
        Thread.ofVirtual()
            .start(
                () -> {
                  started.countDown();
                  ignoreInterrupts(release);
                });
    started.await();
    try (LeakCapture capture = LeakCapture.forPath(name)) {
      Scope scope = Scope.builder(name).closeTimeout(Duration.ofSeconds(1)).open();
      scope.own(thread);
      closeToleratingOverrun(scope);
      assertTrue(thread.isAlive());
      StuckReport report = capture.awaitStuck("did not end after interrupt");
      assertTrue(hasFrame(report.stackTrace(), "ignoreInterrupts"), report::toString);
    } finally {
      release.countDown();
      thread.join();
    }
  }

  /** An owned Future is cancelled, interrupting its running task. */
  @Test
  void future_cancelled() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    FutureTask<Void> task =
        new FutureTask<>(
            () -> {
              started.countDown();
              try {
                new CountDownLatch(1).await();
              } catch (InterruptedException e) {
                interrupted.countDown();
              }
              return null;
            });
    Thread.ofVirtual().start(task);
    started.await();
    CompletableFuture<String> pending = new CompletableFuture<>();
    Scope scope = Scope.open(unique("future"));
    Future<Void> owned = scope.own((Future<Void>) task);
    scope.own(pending);
    scope.close();
    assertTrue(owned.isCancelled());
    assertTrue(pending.isCancelled());
    interrupted.await();
  }

  /** An owned Timer is cancelled: nothing more can be scheduled on it. */
  @Test
  void timer_cancelled() {
    Timer timer = new Timer("test-timer", true);
    AtomicBoolean ran = new AtomicBoolean();
    timer.schedule(
        new TimerTask() {
          @Override
          public void run() {
            ran.set(true);
          }
        },
        Duration.ofHours(1).toMillis());
    Scope scope = Scope.open(unique("timer"));
    scope.own(timer);
    scope.close();
    assertThrows(
        IllegalStateException.class,
        () ->
            timer.schedule(
                new TimerTask() {
                  @Override
                  public void run() {}
                },
                1));
    assertFalse(ran.get());
  }

  /** An owned ScheduledFuture is cancelled and removed from the queue of an owned scheduler. */
  @Test
  void scheduledFuture_cancelledAndPurged() {
    try (Scope app = Scope.open(unique("app"))) {
      ScheduledThreadPoolExecutor scheduler = app.own(new ScheduledThreadPoolExecutor(1));
      Scope job = app.child("job");
      ScheduledFuture<?> poll = scheduler.scheduleAtFixedRate(() -> {}, 1, 1, TimeUnit.HOURS);
      assertEquals(1, scheduler.getQueue().size());
      job.own(poll);
      job.close();
      assertTrue(poll.isCancelled());
      assertEquals(0, scheduler.getQueue().size(), "the cancelled task is purged");
    }
  }

  /** An owned ExecutorService is shut down and awaited: its tasks have ended when close returns. */
  @Test
  void executor_shutDownAndAwaited() throws Exception {
    ExecutorService executor = Executors.newFixedThreadPool(2);
    CountDownLatch started = new CountDownLatch(1);
    AtomicBoolean finished = new AtomicBoolean();
    executor.execute(
        () -> {
          started.countDown();
          finished.set(true);
        });
    started.await();
    Scope scope = Scope.open(unique("executor"));
    assertSame(executor, scope.own(executor));
    scope.close();
    assertTrue(executor.isTerminated());
    assertTrue(finished.get());
  }

  /**
   * An owned executor whose task waits forever but responds to interrupts: after the wait, it is
   * shut down now, terminates, and nothing is reported.
   */
  @Test
  void executor_interruptibleTask_shutDownNowWithoutReport() throws Exception {
    String name = unique("executor-now");
    ExecutorService executor = Executors.newSingleThreadExecutor();
    CountDownLatch started = new CountDownLatch(1);
    executor.execute(
        () -> {
          started.countDown();
          try {
            new CountDownLatch(1).await();
          } catch (InterruptedException e) {
            // ends
          }
        });
    started.await();
    try (LeakCapture capture = LeakCapture.forPath(name)) {
      Scope scope = Scope.builder(name).closeTimeout(Duration.ofMillis(600)).open();
      scope.own(executor);
      scope.close();
      assertTrue(executor.isTerminated());
      assertTrue(capture.stucks().isEmpty(), capture.stucks()::toString);
    }
  }

  /**
   * Closes a bounded scope whose adapter gives up just before the deadline: on a loaded machine,
   * the adapter's own report may push it past the deadline, and the close then abandons it too.
   */
  static void closeToleratingOverrun(Scope scope) {
    try {
      scope.close();
    } catch (CloseFailedException e) {
      assertTrue(e.getMessage().contains("1 abandoned after the close timeout"), e::toString);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Registered and ServiceLoader-found adapters
  // ---------------------------------------------------------------------------------------------

  /** A registered adapter releases its type; once removed, the type cannot be owned any more. */
  @Test
  void registeredAdapter_usedUntilRemoved() {
    Registration r = Lifecycle.registerAdapter(recording(Handle.class, "registered"));
    Handle h = new Handle();
    try (Scope scope = Scope.open(unique("registered"))) {
      assertSame(h, scope.own(h));
    } finally {
      r.close();
    }
    assertEquals(List.of("registered"), h.releasedBy);
    try (Scope scope = Scope.open(unique("removed"))) {
      assertThrows(IllegalArgumentException.class, () -> scope.own(new Handle()));
    }
  }

  /**
   * A resource owned through an adapter that is removed before the scope closes fails its release
   * with a clear message (the adapter in force at release time is used).
   */
  @Test
  void registeredAdapter_removedBeforeRelease_clearFailure() {
    Registration r = Lifecycle.registerAdapter(recording(Handle.class, "registered"));
    Scope scope = Scope.open(unique("removed-before-release"));
    scope.own(new Handle());
    r.close();
    CloseFailedException e = assertThrows(CloseFailedException.class, scope::close);
    assertTrue(e.getCause() instanceof IllegalStateException, e::toString);
    assertTrue(e.getCause().getMessage().contains("ResourceAdapterTest$Handle"), e::toString);
  }

  /** The adapter of the most specific type wins; among equals, the latest registration. */
  @Test
  void registeredAdapters_mostSpecificThenLatestWins() {
    Registration general = Lifecycle.registerAdapter(recording(Handle.class, "general"));
    Registration specific = Lifecycle.registerAdapter(recording(SubHandle.class, "specific"));
    Registration later = Lifecycle.registerAdapter(recording(Handle.class, "later"));
    Handle h = new Handle();
    SubHandle s = new SubHandle();
    try (Scope scope = Scope.open(unique("specific"))) {
      scope.own(h);
      scope.own(s);
    } finally {
      general.close();
      specific.close();
      later.close();
    }
    assertEquals(List.of("later"), h.releasedBy);
    assertEquals(List.of("specific"), s.releasedBy);
  }

  /** For an AutoCloseable, an adapter of a type that is not AutoCloseable does not apply. */
  @Test
  void autoCloseable_adapterOfOtherInterface_ignored() {
    Registration r =
        Lifecycle.registerAdapter(
            new ResourceAdapter<Runnable>() {
              @Override
              public Class<Runnable> type() {
                return Runnable.class;
              }

              @Override
              public void release(Runnable resource, ReleaseContext context) {
                if (resource instanceof Both b) {
                  b.adapted.set(true);
                }
              }
            });
    Both both = new Both();
    try (Scope scope = Scope.open(unique("both"))) {
      scope.own(both);
    } finally {
      r.close();
    }
    assertTrue(both.closed.get());
    assertFalse(both.adapted.get());
  }

  /** An adapter found through META-INF/services releases its type. */
  @Test
  void serviceLoadedAdapter_used() {
    ServiceHandle h = new ServiceHandle();
    try (Scope scope = Scope.open(unique("service"))) {
      scope.own(h);
    }
    assertEquals(1, h.releases.get());
  }

  /** An adapter that throws: the failure is collected into the close's exception. */
  @Test
  void adapterThrows_failureCollected() {
    IOException failure = new IOException("release failed");
    Registration r =
        Lifecycle.registerAdapter(
            new ResourceAdapter<Handle>() {
              @Override
              public Class<Handle> type() {
                return Handle.class;
              }

              @Override
              public void release(Handle resource, ReleaseContext context) throws Exception {
                throw failure;
              }
            });
    try {
      Scope scope = Scope.open(unique("throws"));
      TestResource other = scope.own(TestResource.of("other"));
      scope.own(new Handle());
      CloseFailedException e = assertThrows(CloseFailedException.class, scope::close);
      assertSame(failure, e.getCause());
      assertTrue(other.isClosed());
    } finally {
      r.close();
    }
  }

  /** An adapted resource offered to a closed scope is released at once. */
  @Test
  void adapted_offeredToClosedScope_releasedAtOnce() {
    Registration r = Lifecycle.registerAdapter(recording(Handle.class, "at once"));
    try {
      Scope scope = Scope.open(unique("closed"));
      scope.close();
      Handle h = new Handle();
      assertThrows(ScopeClosedException.class, () -> scope.own(h));
      assertEquals(List.of("at once"), h.releasedBy);
    } finally {
      r.close();
    }
  }

  /** registerAdapter rejects null, and an adapter whose type() is null. */
  @Test
  void registerAdapter_null_throwsNullPointer() {
    assertNpe("adapter", () -> Lifecycle.registerAdapter(null));
    assertNpe(
        "adapter.type()",
        () ->
            Lifecycle.registerAdapter(
                new ResourceAdapter<Object>() {
                  @Override
                  public Class<Object> type() {
                    return null;
                  }

                  @Override
                  public void release(Object resource, ReleaseContext context) {}
                }));
  }
}
