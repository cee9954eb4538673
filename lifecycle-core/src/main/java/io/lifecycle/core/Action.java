package io.lifecycle.core;

/**
 * The body of a task that returns nothing: see {@link Scope#fork(Action)}. Unlike {@link Runnable},
 * it may throw checked exceptions, which fail the task.
 */
@FunctionalInterface
public interface Action {
  /**
   * Runs the task's work.
   *
   * @throws Exception if the work fails; the task then ends {@link Task.State#FAILED}
   */
  void run() throws Exception;
}
