package io.lifecycle.core;

import java.time.Duration;

/** Short human-readable forms for messages and reports. */
final class Format {
  private Format() {}

  /** Formats nanoseconds as "850 ms", "2.5 s", "3 min 4 s", "2 h 5 min". */
  static String duration(long nanos) {
    if (nanos < 0) {
      return nanos == Long.MIN_VALUE ? "-" + duration(Long.MAX_VALUE) : "-" + duration(-nanos);
    }
    long ms = nanos / 1_000_000;
    if (ms < 1_000) {
      return ms + " ms";
    }
    if (ms < 60_000) {
      long tenths = ms / 100;
      return (tenths % 10 == 0) ? (tenths / 10) + " s" : (tenths / 10) + "." + (tenths % 10) + " s";
    }
    long s = ms / 1000;
    if (s < 3600) {
      return (s / 60) + " min " + (s % 60) + " s";
    }
    return (s / 3600) + " h " + ((s % 3600) / 60) + " min";
  }

  static String duration(Duration d) {
    return duration(Checks.saturatedNanos(d));
  }
}
