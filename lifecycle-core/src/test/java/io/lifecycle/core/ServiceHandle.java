package io.lifecycle.core;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A handle type that is not AutoCloseable, released by {@link ServiceHandle.Adapter}, which is
 * found through {@code META-INF/services/io.lifecycle.core.ResourceAdapter} (see
 * src/test/resources).
 */
public final class ServiceHandle {
  final AtomicInteger releases = new AtomicInteger();

  /** The adapter ServiceLoader finds. */
  public static final class Adapter implements ResourceAdapter<ServiceHandle> {
    /** Called by ServiceLoader. */
    public Adapter() {}

    @Override
    public Class<ServiceHandle> type() {
      return ServiceHandle.class;
    }

    @Override
    public void release(ServiceHandle handle, ReleaseContext context) {
      handle.releases.incrementAndGet();
    }
  }
}
