package io.lifecycle.core;

/**
 * Thrown by {@link Scope#join()} when a task forked into the scope failed.
 *
 * <p>The first failure is the {@linkplain #getCause() cause}; failures of other tasks of the same
 * round are {@linkplain #getSuppressed() suppressed}.
 */
public final class TaskFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with the given message and first failure.
   *
   * @param message which scope's tasks failed, and how many
   * @param cause the first failure
   */
  public TaskFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
