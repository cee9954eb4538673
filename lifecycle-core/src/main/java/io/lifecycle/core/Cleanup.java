package io.lifecycle.core;

/**
 * An action run when its owner closes: see {@link Scope#onClose(Cleanup)}.
 *
 * <p>The action runs at most once, on the thread that closes the owner (or that closes the {@link
 * Registration}). It may throw; the failure is collected into the owner's {@link
 * CloseFailedException} and the owner's other children still close.
 */
@FunctionalInterface
public interface Cleanup {
  /**
   * Releases what this action stands for.
   *
   * @throws Exception if the release fails
   */
  void run() throws Exception;
}
