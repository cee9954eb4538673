package io.lifecycle.core;

/** A resource owned with its {@link Releaser}. Never leaves before the owner closes. */
final class ReleaserEntry<T> extends Owned {
  private final T resource;
  private final Releaser<? super T> releaser;
  private final LiveCount count;

  ReleaserEntry(T resource, Releaser<? super T> releaser, LiveCount count) {
    this.resource = resource;
    this.releaser = releaser;
    this.count = count;
  }

  @Override
  void release(ScopeNode owner) throws Exception {
    try {
      releaser.release(resource);
    } finally {
      count.decrement();
    }
  }

  @Override
  String type() {
    return count.key.equals(CounterTable.OTHER) ? Types.key(resource) : count.key;
  }
}
