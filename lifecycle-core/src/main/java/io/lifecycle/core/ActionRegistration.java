package io.lifecycle.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * An action registered with {@link Scope#onClose(Cleanup)}.
 *
 * <p>{@link #state} moves once, by CAS, from ACTIVE to DONE, by whichever of {@link #close()},
 * {@link #cancel()} and the owner's close comes first; only the winner runs (or drops) the action.
 * Closing or cancelling early also leaves the owner's slots in constant time.
 */
final class ActionRegistration extends Owned implements Registration, Indexed {
  private static final int ACTIVE = 0;
  private static final int DONE = 1;
  private static final VarHandle STATE;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(ActionRegistration.class, "state", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private volatile int state;
  private final ScopeNode owner;
  private final Cleanup action;
  private final LiveCount count;
  private int slot; // guarded by owner

  ActionRegistration(ScopeNode owner, Cleanup action, LiveCount count) {
    this.owner = owner;
    this.action = action;
    this.count = count;
  }

  @Override
  public void close() {
    if (STATE.compareAndSet(this, ACTIVE, DONE)) {
      owner.detach(this);
      count.decrement();
      run(action);
    }
  }

  @Override
  public boolean cancel() {
    if (STATE.compareAndSet(this, ACTIVE, DONE)) {
      owner.detach(this);
      count.decrement();
      return true;
    }
    return false;
  }

  @Override
  void release(ScopeNode closing) throws Exception {
    if (STATE.compareAndSet(this, ACTIVE, DONE)) {
      count.decrement();
      action.run();
    }
  }

  /** Runs an action for a caller that cannot take a checked exception. */
  static void run(Cleanup action) {
    try {
      action.run();
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new CloseFailedException("cleanup action " + Types.key(action) + " failed", e);
    }
  }

  @Override
  String type() {
    return Types.key(action);
  }

  @Override
  public int slot() {
    return slot;
  }

  @Override
  public void slot(int slot) {
    this.slot = slot;
  }

  @Override
  public String toString() {
    return "Registration[" + type() + " on " + owner.path() + (state == ACTIVE ? "]" : ", done]");
  }
}
