package io.lifecycle.core;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;

/**
 * A task forked into a scope; also the {@link Runnable} its thread runs.
 *
 * <p>Implementation notes: {@link #state} moves once, by CAS, from RUNNING to SUCCEEDED or FAILED
 * (by the task's thread, with the outcome written before the CAS) or to CANCELLED (by any thread;
 * the outcome then stays unset). Independently, {@link #done} becomes true when the thread has
 * finished and the owner has counted it out; the owner's close waits on that, not on the state,
 * because a cancelled task's thread may still run. A task is a child of its scope's {@link Slots}
 * until its thread finishes, then leaves in constant time.
 */
final class TaskImpl<T> implements Task<T>, Indexed, Runnable {
  private static final int RUNNING = 0;
  private static final int SUCCEEDED = 1;
  private static final int FAILED = 2;
  private static final int CANCELLED = 3;

  private static final VarHandle STATE;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(TaskImpl.class, "state", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** RUNNING, then one of SUCCEEDED, FAILED, CANCELLED. */
  private volatile int state;

  /** The result or the failure; written by the task's thread before the state leaves RUNNING. */
  private Object outcome;

  final ScopeNode owner;
  /** Null once run: a finished task does not keep what its body captured. */
  private Callable<? extends T> body;

  /** The thread running the body; set before it starts. */
  volatile Thread thread;

  /** True once the thread has finished and the owner counted it out. */
  volatile boolean done;

  // The fields below, and addJoiner and joinDone, are guarded by the owner's monitor (held by
  // ScopeNode around every access; not expressible with @GuardedBy, which cannot name it).

  private int slot;

  /** The joiners waiting for this task: null, one JoinWaiter, or a list of them. */
  private Object joinWaiters;

  /** True once a join or {@link #exception()} saw the failure. */
  boolean observed;

  TaskImpl(ScopeNode owner, Callable<? extends T> body) {
    this.owner = owner;
    this.body = body;
  }

  /** Makes a task that is cancelled before it starts (a fork after a fail-fast trip). */
  static <T> TaskImpl<T> cancelled(ScopeNode owner) {
    TaskImpl<T> t = new TaskImpl<>(owner, null);
    t.state = CANCELLED;
    t.done = true;
    return t;
  }

  @Override
  public void run() {
    if (state == RUNNING) {
      Callable<? extends T> b = body;
      body = null;
      Object result;
      boolean failed;
      try {
        result = b.call();
        failed = false;
      } catch (Throwable t) {
        result = t;
        failed = true;
      }
      outcome = result;
      STATE.compareAndSet(this, RUNNING, failed ? FAILED : SUCCEEDED);
    }
    owner.taskFinished(this, true);
  }

  /** Called by the owner when starting the thread failed: the task fails with {@code cause}. */
  void startFailed(Throwable cause) {
    outcome = cause;
    STATE.compareAndSet(this, RUNNING, FAILED);
    owner.taskFinished(this, false);
  }

  @Override
  public State state() {
    return switch (state) {
      case RUNNING -> State.RUNNING;
      case SUCCEEDED -> State.SUCCEEDED;
      case FAILED -> State.FAILED;
      default -> State.CANCELLED;
    };
  }

  boolean isFailed() {
    return state == FAILED;
  }

  @Override
  @SuppressWarnings("unchecked")
  public T get() {
    if (state != SUCCEEDED) {
      throw new IllegalStateException("task of " + owner.path() + " has not succeeded: " + state());
    }
    return (T) outcome;
  }

  @Override
  public Throwable exception() {
    if (state != FAILED) {
      throw new IllegalStateException("task of " + owner.path() + " has not failed: " + state());
    }
    owner.observed(this);
    return (Throwable) outcome;
  }

  /** Returns the failure without marking it observed. */
  Throwable failure() {
    return (Throwable) outcome;
  }

  @Override
  @CanIgnoreReturnValue
  public boolean cancel() {
    if (STATE.compareAndSet(this, RUNNING, CANCELLED)) {
      Thread t = thread;
      if (t != null) {
        t.interrupt();
      }
      return true;
    }
    return false;
  }

  @Override
  public int slot() {
    return slot;
  }

  @Override
  public void slot(int slot) {
    this.slot = slot;
  }

  /** Adds a joiner that waits for this task. */
  @SuppressWarnings("unchecked")
  void addJoiner(TaskGroup.JoinWaiter w) {
    Object j = joinWaiters;
    if (j == null) {
      joinWaiters = w;
    } else if (j instanceof TaskGroup.JoinWaiter first) {
      List<TaskGroup.JoinWaiter> list = new ArrayList<>(2);
      list.add(first);
      list.add(w);
      joinWaiters = list;
    } else {
      ((List<TaskGroup.JoinWaiter>) j).add(w);
    }
  }

  /** Removes a joiner that stopped waiting (interrupted, timed out, or failed fast). */
  @SuppressWarnings("unchecked")
  void removeJoiner(TaskGroup.JoinWaiter w) {
    Object j = joinWaiters;
    if (j == w) {
      joinWaiters = null;
    } else if (j instanceof List<?> list) {
      ((List<TaskGroup.JoinWaiter>) list).remove(w);
    }
  }

  /** Counts this task out of every joiner waiting for it, waking those with nothing left. */
  @SuppressWarnings("unchecked")
  void joinDone() {
    Object j = joinWaiters;
    joinWaiters = null;
    done = true;
    if (j instanceof TaskGroup.JoinWaiter w) {
      countDown(w);
    } else if (j != null) {
      for (TaskGroup.JoinWaiter w : (List<TaskGroup.JoinWaiter>) j) {
        countDown(w);
      }
    }
  }

  private static void countDown(TaskGroup.JoinWaiter w) {
    if (--w.remaining == 0) {
      w.done = true;
      LockSupport.unpark(w.thread);
    }
  }

  @Override
  public String toString() {
    Thread t = thread;
    return "Task[" + (t == null ? owner.path() : t.getName()) + ", " + state() + "]";
  }
}
