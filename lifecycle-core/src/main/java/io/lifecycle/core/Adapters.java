package io.lifecycle.core;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.Timer;
import java.util.WeakHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The registry of {@link ResourceAdapter}s: the built-ins, those found by {@link ServiceLoader},
 * and those registered in code (latest wins a tie). The adapter for a class is looked up once and
 * cached per class; a registration invalidates the cache.
 */
final class Adapters {
  private Adapters() {}

  private static final List<ResourceAdapter<?>> FIXED = fixed();

  private static final CopyOnWriteArrayList<RuntimeRegistration<ResourceAdapter<?>>> REGISTERED =
      new CopyOnWriteArrayList<>();

  /** Bumped by every registration change; cached lookups of an older version are redone. */
  private static volatile int version;

  /** Scheduled executors owned by some scope, so that an owned ScheduledFuture can be purged. */
  private static final Set<ScheduledThreadPoolExecutor> SCHEDULERS =
      Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

  /** The adapters of one class, as of one registry version. */
  record Lookup(int version, ResourceAdapter<Object> any, ResourceAdapter<Object> closeable) {}

  /** Returns the adapter that releases {@code resource}, or null to call its own close. */
  static ResourceAdapter<Object> find(Object resource) {
    Types.TypeInfo info = Types.info(resource.getClass());
    Lookup l = info.adapters;
    if (l == null || l.version != version) {
      info.adapters = l = compute(info.type);
    }
    return resource instanceof AutoCloseable ? l.closeable : l.any;
  }

  static Registration register(ResourceAdapter<?> adapter) {
    Checks.notNull(adapter, "adapter");
    Checks.notNull(adapter.type(), "adapter.type()");
    RuntimeRegistration<ResourceAdapter<?>> r =
        new RuntimeRegistration<>(REGISTERED, adapter, Adapters::bump);
    REGISTERED.add(r);
    bump();
    return r;
  }

  private static synchronized void bump() {
    version++;
  }

  /** Remembers a scheduled executor owned by a scope (weakly). */
  static void knowScheduler(ScheduledThreadPoolExecutor executor) {
    SCHEDULERS.add(executor);
  }

  @SuppressWarnings("unchecked")
  private static Lookup compute(Class<?> type) {
    int v = version;
    List<ResourceAdapter<?>> all = new ArrayList<>(FIXED);
    for (RuntimeRegistration<ResourceAdapter<?>> r : REGISTERED) {
      all.add(r.value);
    }
    ResourceAdapter<?> any = null;
    ResourceAdapter<?> closeable = null;
    for (ResourceAdapter<?> a : all) {
      Class<?> t = a.type();
      if (!t.isAssignableFrom(type)) {
        continue;
      }
      if (any == null || any.type().isAssignableFrom(t)) {
        any = a;
      }
      if (AutoCloseable.class.isAssignableFrom(t)
          && (closeable == null || closeable.type().isAssignableFrom(t))) {
        closeable = a;
      }
    }
    return new Lookup(v, (ResourceAdapter<Object>) any, (ResourceAdapter<Object>) closeable);
  }

  private static List<ResourceAdapter<?>> fixed() {
    List<ResourceAdapter<?>> out = new ArrayList<>();
    out.add(new ExecutorAdapter());
    out.add(new ThreadAdapter());
    out.add(new FutureAdapter());
    out.add(new ScheduledFutureAdapter());
    out.add(new TimerAdapter());
    try {
      for (ResourceAdapter<?> a : ServiceLoader.load(ResourceAdapter.class)) {
        out.add(a);
      }
    } catch (ServiceConfigurationError e) {
      Reporter.LOG.log(Level.WARNING, "could not load a ResourceAdapter service", e);
    }
    return List.copyOf(out);
  }

  /** The time an adapter waits: a little less than it has, so it gives up before the close does. */
  static long waitNanos(ReleaseContext context) {
    long left = Checks.saturatedNanos(context.timeout());
    return left - Math.min(left / 4, 200_000_000L);
  }

  /** Shuts down, awaits termination within the timeout, then {@code shutdownNow} and reports. */
  static final class ExecutorAdapter implements ResourceAdapter<ExecutorService> {
    @Override
    public Class<ExecutorService> type() {
      return ExecutorService.class;
    }

    @Override
    public void release(ExecutorService executor, ReleaseContext context) throws Exception {
      if (executor.isTerminated()) {
        return;
      }
      long start = System.nanoTime();
      // One budget, split between the two waits, so that the margin waitNanos keeps before the
      // close's deadline is left for the report (recomputing it after the first wait would leave
      // only a quarter of the remainder, and the report would overrun the deadline).
      long budget = waitNanos(context);
      long afterShutdownNow = Math.min(budget / 4, 100_000_000L);
      executor.shutdown();
      try {
        if (executor.awaitTermination(budget - afterShutdownNow, TimeUnit.NANOSECONDS)) {
          return;
        }
        List<Runnable> dropped = executor.shutdownNow();
        long left = budget - (System.nanoTime() - start);
        if (!executor.awaitTermination(Math.max(0, left), TimeUnit.NANOSECONDS)) {
          context.reportStuck(
              Types.key(executor)
                  + " did not terminate after shutdown and shutdownNow ("
                  + dropped.size()
                  + " queued tasks dropped)",
              null,
              Duration.ofNanos(System.nanoTime() - start));
        }
      } catch (InterruptedException e) {
        executor.shutdownNow();
        throw e;
      }
    }
  }

  /** Interrupts, joins within the timeout, reports a thread that does not end. */
  static final class ThreadAdapter implements ResourceAdapter<Thread> {
    @Override
    public Class<Thread> type() {
      return Thread.class;
    }

    @Override
    @SuppressWarnings("ReferenceEquality") // a thread is compared by identity
    public void release(Thread thread, ReleaseContext context) throws Exception {
      if (!thread.isAlive() || thread == Thread.currentThread()) {
        return;
      }
      long start = System.nanoTime();
      thread.interrupt();
      if (!thread.join(Duration.ofNanos(Math.max(1, waitNanos(context))))) {
        context.reportStuck(
            "thread " + thread.getName() + " did not end after interrupt",
            thread,
            Duration.ofNanos(System.nanoTime() - start));
      }
    }
  }

  /** Cancels, interrupting a running task. */
  static final class FutureAdapter implements ResourceAdapter<Future<?>> {
    @Override
    @SuppressWarnings("unchecked")
    public Class<Future<?>> type() {
      return (Class<Future<?>>) (Class<?>) Future.class;
    }

    @Override
    public void release(Future<?> future, ReleaseContext context) {
      future.cancel(true);
    }
  }

  /** Cancels, and removes the task from the queue of any owned scheduled executor. */
  static final class ScheduledFutureAdapter implements ResourceAdapter<ScheduledFuture<?>> {
    @Override
    @SuppressWarnings("unchecked")
    public Class<ScheduledFuture<?>> type() {
      return (Class<ScheduledFuture<?>>) (Class<?>) ScheduledFuture.class;
    }

    @Override
    public void release(ScheduledFuture<?> future, ReleaseContext context) {
      future.cancel(true);
      if (future instanceof Runnable task) {
        List<ScheduledThreadPoolExecutor> known;
        synchronized (SCHEDULERS) {
          known = new ArrayList<>(SCHEDULERS);
        }
        for (ScheduledThreadPoolExecutor e : known) {
          if (e.remove(task)) {
            break;
          }
        }
      }
    }
  }

  /** Cancels the timer, discarding its scheduled tasks. */
  static final class TimerAdapter implements ResourceAdapter<Timer> {
    @Override
    public Class<Timer> type() {
      return Timer.class;
    }

    @Override
    public void release(Timer timer, ReleaseContext context) {
      timer.cancel();
    }
  }
}
