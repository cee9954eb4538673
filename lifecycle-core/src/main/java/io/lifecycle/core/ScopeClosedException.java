package io.lifecycle.core;

/**
 * Thrown by {@link Scope#own own}, {@link Scope#onClose onClose}, {@link Scope#child child} and
 * {@link Scope#fork fork} when the scope is closing or closed.
 *
 * <p>Nothing offered to a closing scope is lost: by the time this is thrown the offered resource
 * has been closed (the offered action has run, the offered child scope is closed, the offered task
 * was never started). A failure of that release is attached as a suppressed exception.
 */
public final class ScopeClosedException extends ClosedException {
  private static final long serialVersionUID = 1L;

  private final String path;

  /**
   * Creates an exception for the scope at {@code path}.
   *
   * @param path the closed scope's path, such as {@code "app/room/job"}
   * @param attempted what was attempted, such as {@code "own"}
   */
  public ScopeClosedException(String path, String attempted) {
    super("scope " + Checks.notNull(path, "path") + " is closed: cannot " + attempted);
    this.path = path;
  }

  /** Returns the path of the scope that was closed. */
  public String path() {
    return path;
  }
}
