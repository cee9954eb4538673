package io.lifecycle.core;

/**
 * Releases a resource that is not {@link AutoCloseable}: removes a listener, frees a native
 * handle, returns a lease. See {@link Scope#own(Object, Releaser)}.
 *
 * @param <T> the type of resource released
 */
@FunctionalInterface
public interface Releaser<T> {
  /**
   * Releases {@code resource}. Called at most once per {@code own}, on the thread that closes the
   * owning scope.
   *
   * @param resource the resource passed to {@code own}
   * @throws Exception if the release fails
   */
  void release(T resource) throws Exception;
}
