package io.lifecycle.examples;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.lifecycle.core.LeakListener;
import io.lifecycle.core.LeakReport;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Keeps the first leak report in full and counts the rest by allocation site, so that thousands of
 * reports cost a few bytes each. Called on the library's cleaner thread; thread-safe.
 */
final class LeakTally implements LeakListener {
  @GuardedBy("this")
  private LeakReport first;

  @GuardedBy("this")
  private long count;

  @GuardedBy("this")
  private final Map<String, Long> bySite = new LinkedHashMap<>();

  @Override
  public synchronized void onLeak(LeakReport report) {
    if (first == null) {
      first = report;
    }
    count++;
    bySite.merge(siteOf(report), 1L, Long::sum);
  }

  private static String siteOf(LeakReport report) {
    return report.allocationSite().isEmpty()
        ? "a site that was not captured"
        : report.allocationSite().get(0).toString();
  }

  /** Returns the number of reports so far. */
  synchronized long count() {
    return count;
  }

  /** Returns the first report in full, then a count of the rest by allocation site. */
  synchronized String describe() {
    if (first == null) {
      return "No leak reports.";
    }
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%,d leak reports. The first, in full:%n%n", count));
    sb.append(first).append(System.lineSeparator()).append(System.lineSeparator());
    if (count > 1) {
      sb.append(String.format(Locale.ROOT, "and %,d more:", count - 1));
      String firstSite = siteOf(first);
      for (Map.Entry<String, Long> e : bySite.entrySet()) {
        long n = e.getKey().equals(firstSite) ? e.getValue() - 1 : e.getValue();
        if (n > 0) {
          sb.append(String.format(Locale.ROOT, "%n  %,d opened at %s", n, e.getKey()));
        }
      }
    }
    return sb.toString();
  }
}
