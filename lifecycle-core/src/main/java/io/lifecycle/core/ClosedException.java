package io.lifecycle.core;

/**
 * Thrown when an operation needs something that is closed: a scope, a gate, a queue.
 *
 * <p>Other lifecycle modules throw it (or a subclass) to wake waiters when the thing they wait on
 * closes, so code can catch one type for "the owner went away".
 */
public class ClosedException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with the given message.
   *
   * @param message what is closed, and what was attempted
   */
  public ClosedException(String message) {
    super(message);
  }

  /**
   * Creates an exception with the given message and cause.
   *
   * @param message what is closed, and what was attempted
   * @param cause the failure that closed it, or {@code null}
   */
  public ClosedException(String message, Throwable cause) {
    super(message, cause);
  }
}
