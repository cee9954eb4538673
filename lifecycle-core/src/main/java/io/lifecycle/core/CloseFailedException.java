package io.lifecycle.core;

/**
 * The aggregate failure of a close: some of what was owned failed to close, was abandoned because
 * its close overran the close timeout, or a task failed and no {@code join} observed it.
 *
 * <p>By the time this is thrown, everything that could be closed has been closed. The first
 * failure, in close order, is the {@linkplain #getCause() cause}; the others are {@linkplain
 * #getSuppressed() suppressed}. The message names the scope and how many of its children failed.
 */
public class CloseFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with the given message and first failure.
   *
   * @param message what failed to close
   * @param cause the first failure, or {@code null}
   */
  public CloseFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
