package io.lifecycle.core;

/**
 * A plain resource counted under {@link CounterTable#OTHER} because the type table was full when
 * it was owned; remembers that so it is counted out of the same count.
 */
final class OverflowResource extends Owned {
  final Object resource;
  private final LiveCount count;

  OverflowResource(Object resource, LiveCount count) {
    this.resource = resource;
    this.count = count;
  }

  @Override
  void release(ScopeNode owner) throws Exception {
    try {
      ScopeNode.releasePlain(resource, owner);
    } finally {
      count.decrement();
    }
  }

  @Override
  String type() {
    return Types.key(resource);
  }
}
