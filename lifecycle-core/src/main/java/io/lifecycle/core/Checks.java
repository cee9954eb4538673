package io.lifecycle.core;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import java.time.Duration;

/**
 * Argument and state checks with messages that name the argument and show the value. The message
 * is formatted only on failure.
 */
final class Checks {
  private Checks() {}

  /** Returns {@code value}, or throws {@link NullPointerException} naming {@code name}. */
  @CanIgnoreReturnValue
  static <T> T notNull(T value, String name) {
    if (value == null) {
      throw new NullPointerException(name + " must not be null");
    }
    return value;
  }

  /** Checks a scope or registry name: not null, not empty, no '/' (the path separator). */
  @CanIgnoreReturnValue
  static String name(String name) {
    notNull(name, "name");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("name must not be empty");
    }
    if (name.indexOf('/') >= 0) {
      throw new IllegalArgumentException(
          "name must not contain '/', the path separator: \"" + name + "\"");
    }
    return name;
  }

  /** Checks a duration that must be zero or positive. */
  @CanIgnoreReturnValue
  static Duration notNegative(Duration value, String name) {
    notNull(value, name);
    if (value.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative: " + value);
    }
    return value;
  }

  /** Checks a duration that must be strictly positive. */
  @CanIgnoreReturnValue
  static Duration positive(Duration value, String name) {
    notNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + value);
    }
    return value;
  }

  @CanIgnoreReturnValue
  static int positive(int value, String name) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive: " + value);
    }
    return value;
  }

  /** Throws {@link IllegalStateException} when a set-once builder option is set twice. */
  static void unset(Object current, String option) {
    if (current != null) {
      throw new IllegalStateException(option + " was already set to " + current);
    }
  }

  /** Converts a duration to nanoseconds, saturating instead of overflowing. */
  static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }

  /** Returns {@code now + nanos} without overflow (a deadline far away saturates). */
  static long deadline(long now, long nanos) {
    long d = now + nanos;
    // Overflow when both operands have the same sign and the result's sign differs.
    if (((now ^ d) & (nanos ^ d)) < 0) {
      return now + Long.MAX_VALUE / 2;
    }
    return d;
  }
}
