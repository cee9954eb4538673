package io.lifecycle.core;

import com.google.errorprone.annotations.DoNotMock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * Something that overran its bound: a close (an owned resource whose release did not return), a
 * task that ignored cancellation, or an operation past its deadline. Carries the stuck thread's
 * stack, which names the blocking call.
 *
 * <p>Immutable and thread-safe. Made by the library and by other lifecycle modules with {@link
 * #of}; delivered with {@link Lifecycle#reportStuck(StuckReport)}.
 */
@DoNotMock("Make one with StuckReport.of")
public final class StuckReport {
  /** What kind of thing was stuck. */
  public enum Kind {
    /** The release of something a closing scope owned. */
    CLOSE,
    /** A task that did not stop when its scope closed. */
    TASK,
    /** An operation that overran its deadline. */
    OPERATION
  }

  private final Kind kind;
  private final String what;
  private final String scopePath;
  private final Duration stuckFor;
  private final String threadName;
  private final List<StackTraceElement> stack;

  private StuckReport(
      Kind kind,
      String what,
      String scopePath,
      Duration stuckFor,
      String threadName,
      List<StackTraceElement> stack) {
    this.kind = kind;
    this.what = what;
    this.scopePath = scopePath;
    this.stuckFor = stuckFor;
    this.threadName = threadName;
    this.stack = stack;
  }

  /**
   * Makes a report, capturing {@code thread}'s current stack.
   *
   * @param kind what kind of thing is stuck
   * @param what a short description, such as {@code "close of AudioStream"}
   * @param scopePath the path of the scope it belongs to ({@code ""} if none)
   * @param stuckFor how long it has been stuck
   * @param thread the stuck thread, or {@code null} if unknown (the stack is then empty)
   * @return the report
   * @throws NullPointerException if an argument other than {@code thread} is null
   * @throws IllegalArgumentException if {@code stuckFor} is negative
   */
  public static StuckReport of(
      Kind kind, String what, String scopePath, Duration stuckFor, Thread thread) {
    Checks.notNull(kind, "kind");
    Checks.notNull(what, "what");
    Checks.notNull(scopePath, "scopePath");
    Checks.notNegative(stuckFor, "stuckFor");
    List<StackTraceElement> stack =
        thread == null ? List.of() : List.of(thread.getStackTrace());
    return new StuckReport(
        kind, what, scopePath, stuckFor, thread == null ? null : thread.getName(), stack);
  }

  /** Returns the kind of thing that was stuck. */
  public Kind kind() {
    return kind;
  }

  /** Returns what was stuck, such as {@code "close of AudioStream"}. */
  public String what() {
    return what;
  }

  /** Returns the path of the scope it belongs to, or {@code ""}. */
  public String scopePath() {
    return scopePath;
  }

  /** Returns how long it had been stuck when reported. */
  public Duration stuckFor() {
    return stuckFor;
  }

  /** Returns the name of the stuck thread, when known. */
  public Optional<String> threadName() {
    return Optional.ofNullable(threadName);
  }

  /** Returns the stuck thread's stack when reported, innermost frame first; empty if unknown. */
  public List<StackTraceElement> stackTrace() {
    return stack;
  }

  /** Returns an exception carrying this report's message and the stuck thread's stack. */
  TimeoutException toException() {
    TimeoutException e = new TimeoutException(headline());
    e.setStackTrace(stack.toArray(new StackTraceElement[0]));
    return e;
  }

  private String headline() {
    return "STUCK: "
        + what
        + (scopePath.isEmpty() ? "" : " in scope " + scopePath)
        + " did not finish within "
        + Format.duration(stuckFor)
        + (threadName == null ? "" : " (thread " + threadName + ")");
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(headline());
    for (StackTraceElement e : stack) {
      sb.append("\n    at ").append(e);
    }
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StuckReport r
        && kind == r.kind
        && what.equals(r.what)
        && scopePath.equals(r.scopePath)
        && stuckFor.equals(r.stuckFor)
        && Objects.equals(threadName, r.threadName)
        && stack.equals(r.stack);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, what, scopePath, stuckFor, threadName, stack);
  }
}
