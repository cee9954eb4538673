package io.lifecycle.core;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link LeakListener} found through {@code META-INF/services} (see src/test/resources), not
 * registered in code. Keeps only the reports of scopes whose path starts with {@link #PREFIX}, so
 * that it cannot grow with other tests' reports.
 */
public final class ServiceLoadedLeakListener implements LeakListener {
  static final String PREFIX = "service-loaded";

  static final List<LeakReport> LEAKS = new CopyOnWriteArrayList<>();
  static final List<StuckReport> STUCKS = new CopyOnWriteArrayList<>();

  /** Called by ServiceLoader. */
  public ServiceLoadedLeakListener() {}

  @Override
  public void onLeak(LeakReport report) {
    if (report.path().startsWith(PREFIX)) {
      LEAKS.add(report);
    }
  }

  @Override
  public void onStuck(StuckReport report) {
    if (report.scopePath().startsWith(PREFIX)) {
      STUCKS.add(report);
    }
  }
}
