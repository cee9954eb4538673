package io.lifecycle.core;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * The runtime-wide settings, read once from system properties. An invalid value is reported at
 * WARNING, naming the property and the value, and the default is used.
 */
final class Settings {
  private Settings() {}

  static final System.Logger LOG = System.getLogger("io.lifecycle");

  /** {@code io.lifecycle.leakLevel}: the initial {@link Lifecycle#leakLevel()}. */
  static final LeakLevel LEAK_LEVEL = leakLevel("io.lifecycle.leakLevel", LeakLevel.SAMPLED);

  /** {@code io.lifecycle.samplingInterval}: one scope in N carries its site at SAMPLED. */
  static final int SAMPLING_INTERVAL = positiveInt("io.lifecycle.samplingInterval", 128);

  /** {@code io.lifecycle.siteDepth}: frames kept of an allocation site or access record. */
  static final int SITE_DEPTH = positiveInt("io.lifecycle.siteDepth", 8);

  /** {@code io.lifecycle.closeTimeout}: the close timeout of scopes without their own, or -1. */
  static final long CLOSE_TIMEOUT_NANOS = positiveDurationNanos("io.lifecycle.closeTimeout", -1);

  /** {@code io.lifecycle.taskGrace}: how long a close waits for cancelled tasks to stop. */
  static final long TASK_GRACE_NANOS =
      durationNanos("io.lifecycle.taskGrace", Duration.ofMillis(100).toNanos());

  /** {@code io.lifecycle.releaseTimeout}: how long an adapter may wait when close is unbounded. */
  static final long RELEASE_TIMEOUT_NANOS =
      durationNanos("io.lifecycle.releaseTimeout", Duration.ofSeconds(10).toNanos());

  /** {@code io.lifecycle.leakCloseTimeout}: the bound of the safety-net close of a leaked scope. */
  static final long LEAK_CLOSE_TIMEOUT_NANOS =
      durationNanos("io.lifecycle.leakCloseTimeout", Duration.ofSeconds(10).toNanos());

  /** {@code io.lifecycle.reportOpenAtExit}: list the root scopes still open at JVM shutdown. */
  static final boolean REPORT_OPEN_AT_EXIT = bool("io.lifecycle.reportOpenAtExit", true);

  /** {@code io.lifecycle.listenerWarnThreshold}: the default {@link Listeners} warning count. */
  static final int LISTENER_WARN_THRESHOLD =
      positiveInt("io.lifecycle.listenerWarnThreshold", 1_000);

  private static String read(String key) {
    try {
      String v = System.getProperty(key);
      return v == null || v.isBlank() ? null : v.trim();
    } catch (SecurityException e) {
      return null;
    }
  }

  private static void invalid(String key, String value, String expected) {
    LOG.log(
        Level.WARNING,
        "ignoring system property {0}={1}: expected {2}",
        key,
        value,
        expected);
  }

  private static LeakLevel leakLevel(String key, LeakLevel fallback) {
    String v = read(key);
    if (v == null) {
      return fallback;
    }
    try {
      return LeakLevel.valueOf(v.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      invalid(key, v, "one of DISABLED, SAMPLED, ALL, PARANOID");
      return fallback;
    }
  }

  private static int positiveInt(String key, int fallback) {
    String v = read(key);
    if (v == null) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(v.replace("_", ""));
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    invalid(key, v, "a positive integer");
    return fallback;
  }

  private static boolean bool(String key, boolean fallback) {
    String v = read(key);
    if (v == null) {
      return fallback;
    }
    if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(v);
    }
    invalid(key, v, "true or false");
    return fallback;
  }

  private static long positiveDurationNanos(String key, long fallback) {
    long n = durationNanos(key, fallback);
    if (n == 0) {
      invalid(key, read(key), "a positive duration such as 5s (a zero close timeout would give up"
          + " on every release)");
      return fallback;
    }
    return n;
  }

  private static long durationNanos(String key, long fallback) {
    String v = read(key);
    if (v == null) {
      return fallback;
    }
    Duration d = parseDuration(v);
    if (d == null || d.isNegative()) {
      invalid(key, v, "a duration such as 5s, 250ms, 2m or PT5S");
      return fallback;
    }
    return Checks.saturatedNanos(d);
  }

  /** Parses {@code 250ms}, {@code 5s}, {@code 2m}, {@code 1h} or ISO-8601; null if invalid. */
  static Duration parseDuration(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    try {
      if (t.startsWith("pt") || t.startsWith("p")) {
        return Duration.parse(text.trim());
      }
      if (t.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2).trim()));
      }
      if (t.endsWith("s")) {
        return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1).trim()));
      }
      if (t.endsWith("m")) {
        return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1).trim()));
      }
      if (t.endsWith("h")) {
        return Duration.ofHours(Long.parseLong(t.substring(0, t.length() - 1).trim()));
      }
      return null;
    } catch (NumberFormatException | DateTimeParseException e) {
      return null;
    }
  }
}
