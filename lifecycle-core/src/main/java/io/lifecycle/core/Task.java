package io.lifecycle.core;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import com.google.errorprone.annotations.DoNotMock;

/**
 * A body forked into a {@link Scope}, running on its own (by default virtual) thread.
 *
 * <p>A task is a child of its scope: closing the scope cancels it, and the scope's {@link
 * Scope#join() join} waits for it. Its {@link #state() state} moves once, from {@link
 * State#RUNNING} to one of the terminal states; the result and the failure are published with that
 * move (a thread that sees the terminal state sees the outcome).
 *
 * <p>Thread-safe; every method may be called from any thread.
 *
 * @param <T> the type of the result
 */
@DoNotMock("Fork a real task into a Scope")
public sealed interface Task<T> permits TaskImpl {

  /** The state of a task. The only transitions are from {@code RUNNING} to one other state. */
  enum State {
    /** Not finished: started, or about to start. */
    RUNNING,
    /** The body returned; {@link Task#get()} has the result. */
    SUCCEEDED,
    /** The body threw; {@link Task#exception()} has the failure. */
    FAILED,
    /**
     * Cancelled by {@link Task#cancel()}, by a sibling's failure, by a join timeout or by the
     * scope's close. The thread may still be running until it notices the interrupt.
     */
    CANCELLED
  }

  /** Returns the current state. */
  State state();

  /**
   * Returns the result of a task that {@link State#SUCCEEDED succeeded}; {@code null} for a task
   * forked from an {@link Action}.
   *
   * @throws IllegalStateException if the task has not succeeded (naming its state)
   */
  T get();

  /**
   * Returns the failure of a task that {@link State#FAILED failed}. Calling it counts as observing
   * the failure: it is then no longer reported by the scope's close.
   *
   * @throws IllegalStateException if the task has not failed (naming its state)
   */
  Throwable exception();

  /**
   * Cancels the task if it is still running: moves it to {@link State#CANCELLED} and interrupts
   * its thread. The thread ends when the body notices the interrupt; the scope's close waits for
   * it.
   *
   * @return {@code true} if this call cancelled the task, {@code false} if it had already finished
   *     or been cancelled
   */
  @CanIgnoreReturnValue
  boolean cancel();
}
