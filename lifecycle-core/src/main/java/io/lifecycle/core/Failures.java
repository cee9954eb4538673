package io.lifecycle.core;

import java.util.ArrayList;
import java.util.List;

/** What one close collected: failures in close order, and the counts its message reports. */
final class Failures {
  private final List<Throwable> failures = new ArrayList<>(0);

  /** Entries released (or abandoned), tasks excluded. */
  int released;

  /** Entries whose release threw. */
  int failed;

  /** Entries (and tasks) abandoned because they overran the close timeout. */
  int abandonedCount;

  /** Task failures no join observed, including those only counted. */
  int taskFailures;

  /** Task failures that were only counted (past the kept maximum). */
  int droppedTaskFailures;

  /** The closing thread was interrupted, or a release left it interrupted. */
  boolean interrupted;

  /** Adds the failure of an entry's release. */
  void add(Throwable t) {
    failures.add(t);
    if (t instanceof InterruptedException) {
      interrupted = true;
    }
  }

  void addReleaseFailure(Throwable t) {
    failed++;
    add(t);
  }

  /** Adds an entry or task abandoned at the close timeout. */
  void abandoned(StuckReport report) {
    abandonedCount++;
    failures.add(report.toException());
  }

  boolean isEmpty() {
    return failures.isEmpty();
  }

  /**
   * Throws the collected failures: an {@link Error} as itself (the rest suppressed), anything
   * else as one {@link CloseFailedException} with the first failure as cause.
   */
  @SuppressWarnings("ReferenceEquality") // the same instance must not suppress itself
  void throwIfFailed(String path) {
    if (failures.isEmpty()) {
      return;
    }
    int firstError = -1;
    for (int i = 0; i < failures.size() && firstError < 0; i++) {
      if (failures.get(i) instanceof Error) {
        firstError = i;
      }
    }
    if (firstError >= 0) {
      Error error = (Error) failures.get(firstError);
      for (int i = 0; i < failures.size(); i++) {
        Throwable t = failures.get(i);
        if (i != firstError && t != error) { // the same instance may be collected twice
          error.addSuppressed(t);
        }
      }
      throw error;
    }
    Throwable first = failures.get(0);
    CloseFailedException e = new CloseFailedException(message(path), first);
    for (int i = 1; i < failures.size(); i++) {
      if (failures.get(i) != first) {
        e.addSuppressed(failures.get(i));
      }
    }
    throw e;
  }

  String message(String path) {
    StringBuilder sb = new StringBuilder("close of scope ").append(path).append(" failed: ");
    String sep = "";
    if (failed > 0) {
      sb.append(failed).append(" of ").append(released).append(" owned failed to close");
      sep = ", ";
    }
    if (abandonedCount > 0) {
      sb.append(sep).append(abandonedCount).append(" abandoned after the close timeout");
      sep = ", ";
    }
    if (taskFailures > 0) {
      sb.append(sep)
          .append(taskFailures)
          .append(taskFailures == 1 ? " task failure" : " task failures")
          .append(" no join observed");
      if (droppedTaskFailures > 0) {
        sb.append(" (").append(droppedTaskFailures).append(" not kept)");
      }
    }
    return sb.toString();
  }
}
