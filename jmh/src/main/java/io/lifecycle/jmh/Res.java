package io.lifecycle.jmh;

import java.io.Closeable;

/**
 * The resource every benchmark owns and closes: as cheap as a resource can be (its close writes one
 * field), so that the benchmarks measure the owner and not the resource. A {@link Closeable}, so
 * that Guava's {@code Closer} takes it too.
 */
final class Res implements Closeable {
  boolean closed;

  @Override
  public void close() {
    closed = true;
  }
}
