package io.lifecycle.core;

/**
 * Tells scopes how to release a type: the pluggable part of {@link Scope#own(AutoCloseable)} and
 * {@link Scope#own(Object)}.
 *
 * <p>A scope releasing a resource uses the registered adapter of the most specific type the
 * resource is an instance of (the latest registration wins a tie), and otherwise the resource's own
 * {@link AutoCloseable#close()}. For an {@code AutoCloseable} resource, only adapters whose {@link
 * #type()} is itself a subtype of {@code AutoCloseable} apply, so a class that happens to implement
 * another adapted interface keeps its own {@code close()}.
 *
 * <p>Built in, for the JDK's traps: {@link java.util.concurrent.ExecutorService} (its own {@code
 * close()} waits without bound: shut down, await termination within {@link
 * ReleaseContext#timeout()}, then {@code shutdownNow} and report), {@link Thread} (interrupt, join
 * within the timeout, report), {@link java.util.concurrent.Future} (cancel), {@link
 * java.util.Timer} (cancel), {@link java.util.concurrent.ScheduledFuture} (cancel, and remove it
 * from the queue of any {@link java.util.concurrent.ScheduledThreadPoolExecutor} owned by a scope).
 *
 * <p>Register adapters with {@link Lifecycle#registerAdapter(ResourceAdapter)}, or name them in
 * {@code META-INF/services/io.lifecycle.core.ResourceAdapter} to have them found by {@link
 * java.util.ServiceLoader} on first use.
 *
 * <p><b>Warning:</b> {@link #release} runs on whichever thread releases the resource: the thread
 * closing the scope, a helper thread of a bounded close, the thread that offered the resource to
 * a closed scope, or the library's cleaner thread (for a leaked scope); possibly concurrently for
 * different resources. It should return within {@link ReleaseContext#timeout()} and report what
 * it had to give up on with {@link ReleaseContext#reportStuck}.
 *
 * @param <T> the type released
 */
public interface ResourceAdapter<T> {
  /** Returns the type this adapter releases, subtypes included. */
  Class<T> type();

  /**
   * Releases {@code resource}.
   *
   * @param resource the resource the scope owned
   * @param context the scope's path, the time the release may take, and a way to report what is
   *     stuck
   * @throws Exception if the release fails; collected into the scope's close failure
   */
  void release(T resource, ReleaseContext context) throws Exception;
}
