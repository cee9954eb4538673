package io.lifecycle.core;

/**
 * A registered action or listener that can be released before its owner closes.
 *
 * <p>Returned by {@link Scope#onClose(Cleanup)}, {@link Listeners#add(Scope, Object)} and {@link
 * Lifecycle#addLeakListener(LeakListener)}. Ignoring it is the normal idiom: the owner releases
 * the registration when it closes. Releasing it early removes it from its owner in constant time,
 * so a long-lived owner does not grow.
 *
 * <p>Thread-safe: {@link #close()} and {@link #cancel()} may be called from any thread, more than
 * once, racing with each other and with the owner's close; the action runs at most once.
 */
public sealed interface Registration extends AutoCloseable
    permits ActionRegistration, Listeners.Entry, RuntimeRegistration {

  /**
   * Runs the action now (for a listener: removes it) and deregisters it from its owner. Does
   * nothing if the registration was already closed, cancelled, or run by the owner's close.
   *
   * @throws CloseFailedException if the action throws a checked exception (its cause)
   * @throws RuntimeException if the action throws one (rethrown as is)
   */
  @Override
  void close();

  /**
   * Deregisters without running the action.
   *
   * @return {@code true} if this call deregistered it; {@code false} if it was already closed,
   *     cancelled or run
   */
  boolean cancel();
}
