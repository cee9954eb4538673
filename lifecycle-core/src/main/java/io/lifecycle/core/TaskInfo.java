package io.lifecycle.core;

import com.google.errorprone.annotations.DoNotMock;
import java.util.Optional;

/**
 * A task of an open scope, as seen by {@link Lifecycle#openScopes()}. Immutable; the thread it
 * names may have moved on since.
 */
@DoNotMock("Read real ones from Lifecycle.openScopes()")
public final class TaskInfo {
  private final String threadName;
  private final Task.State state;
  private final boolean virtual;
  private final Thread thread;

  TaskInfo(TaskImpl<?> task) {
    Thread t = task.thread;
    this.thread = t;
    this.threadName = t == null ? task.owner.path() : t.getName();
    this.state = task.state();
    this.virtual = t != null && t.isVirtual();
  }

  /** Returns the name of the task's thread. */
  public String threadName() {
    return threadName;
  }

  /** Returns the task's state when the info was taken. */
  public Task.State state() {
    return state;
  }

  /** Returns whether the task runs on a virtual thread. */
  public boolean isVirtual() {
    return virtual;
  }

  /**
   * Returns the task's thread (for its stack trace), or empty if it had not started. Virtual
   * threads do not appear in {@link Thread#getAllStackTraces()}; this is how tools find them.
   */
  public Optional<Thread> thread() {
    return Optional.ofNullable(thread);
  }

  @Override
  public String toString() {
    return threadName + " [" + state + (virtual ? ", virtual]" : "]");
  }
}
