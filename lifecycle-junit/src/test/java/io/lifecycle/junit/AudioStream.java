package io.lifecycle.junit;

/** A resource for tests: reported as "AudioStream" in what a scope owns. */
final class AudioStream implements AutoCloseable {
  private volatile boolean closed;

  boolean isClosed() {
    return closed;
  }

  @Override
  public void close() {
    closed = true;
  }
}
