package io.lifecycle.core;

import java.util.Collection;

/** A registration in one of the runtime's registries (leak listeners, adapters). */
final class RuntimeRegistration<T> implements Registration {
  private final Collection<RuntimeRegistration<T>> registry;
  private final Runnable onRemove;
  final T value;

  RuntimeRegistration(Collection<RuntimeRegistration<T>> registry, T value, Runnable onRemove) {
    this.registry = registry;
    this.value = value;
    this.onRemove = onRemove;
  }

  /** Removes the registration; idempotent. */
  @Override
  public void close() {
    var unused = cancel();
  }

  @Override
  public boolean cancel() {
    boolean removed = registry.remove(this);
    if (removed && onRemove != null) {
      onRemove.run();
    }
    return removed;
  }

  @Override
  public String toString() {
    return "Registration[" + value + "]";
  }
}
