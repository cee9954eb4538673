package io.lifecycle.core;

import com.google.errorprone.annotations.DoNotMock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A scope that became unreachable without being closed: where it was opened, how old it was, and
 * what it and its descendants still owned when the collector found it. By the time listeners see
 * the report, the library has closed what it owned (the safety net); {@link #cleanupFailure()}
 * says whether that went wrong.
 *
 * <p>Immutable and thread-safe. {@link #toString()} is the multi-line text that is logged.
 */
@DoNotMock("Make leaks with real scopes and Lifecycle.awaitCleanup")
public final class LeakReport {
  private final String path;
  private final String name;
  private final Duration age;
  private final List<StackTraceElement> allocationSite;
  private final String openedOnThread;
  private final Map<String, Integer> owned;
  private final int descendantScopes;
  private final List<String> tasks;
  private final List<String> accesses;
  private final LeakLevel level;
  private final long openedAtNanos;
  private final Throwable cleanupFailure;

  LeakReport(ScopeNode node, Inventory inventory, Throwable cleanupFailure) {
    this.path = node.path();
    this.name = node.name;
    this.age = Duration.ofNanos(System.nanoTime() - node.openedAt);
    this.openedAtNanos = node.openedAt;
    Trace t = node.trace;
    this.allocationSite = t == null ? List.of() : t.site();
    this.openedOnThread = t == null ? null : t.thread();
    this.owned = Map.copyOf(inventory.resources());
    this.descendantScopes = inventory.scopes();
    this.tasks = inventory.tasks();
    this.accesses =
        t == null
            ? List.of()
            : t.accesses().stream()
                .map(a -> a.operation() + " at " + firstFrame(a.frames()))
                .toList();
    this.level = node.level();
    this.cleanupFailure = cleanupFailure;
  }

  private static String firstFrame(List<StackTraceElement> frames) {
    return frames.isEmpty() ? "?" : frames.get(0).toString();
  }

  /** Returns the leaked scope's path, such as {@code "app/room/job"}. */
  public String path() {
    return path;
  }

  /** Returns the leaked scope's name (the last element of its path). */
  public String name() {
    return name;
  }

  /** Returns how long the scope had been open when the collector found it. */
  public Duration age() {
    return age;
  }

  /**
   * Returns the {@link System#nanoTime()} reading taken when the scope opened: comparable with
   * other {@code nanoTime} readings of this JVM (by subtraction), so that a tool can tell exactly
   * whether the scope was opened before or after a point it recorded.
   */
  public long openedAtNanos() {
    return openedAtNanos;
  }

  /**
   * Returns where the scope was opened, innermost frame first (library frames skipped); empty
   * when the site was not captured (see {@link LeakLevel}).
   */
  public List<StackTraceElement> allocationSite() {
    return allocationSite;
  }

  /** Returns the name of the thread that opened the scope, when the site was captured. */
  public Optional<String> openedOnThread() {
    return Optional.ofNullable(openedOnThread);
  }

  /**
   * Returns what the scope and its descendants still owned, by type ({@code "AudioStream" -> 1};
   * a lambda shows as its declaring class, {@code "Job (lambda)"}).
   */
  public Map<String, Integer> owned() {
    return owned;
  }

  /** Returns the number of descendant scopes that leaked with it (and were closed with it). */
  public int descendantScopes() {
    return descendantScopes;
  }

  /** Returns the tasks of the subtree that were still running, as "Task[thread name, state]". */
  public List<String> tasks() {
    return tasks;
  }

  /** Returns the latest recorded accesses (at {@link LeakLevel#PARANOID}), oldest first. */
  public List<String> accesses() {
    return accesses;
  }

  /** Returns the failure of the safety-net close, if it failed. */
  public Optional<Throwable> cleanupFailure() {
    return Optional.ofNullable(cleanupFailure);
  }

  /** Returns a one-line summary: "app/job (opened at Worker.run:42) still owned AudioStream x1". */
  public String summary() {
    StringBuilder sb = new StringBuilder(path);
    if (!allocationSite.isEmpty()) {
      sb.append(" (opened at ").append(Trace.shortFrame(allocationSite.get(0))).append(')');
    }
    return sb.append(" still owned ").append(ownedDescription()).toString();
  }

  private String ownedDescription() {
    if (owned.isEmpty() && descendantScopes == 0 && tasks.isEmpty()) {
      return "nothing";
    }
    StringBuilder sb = new StringBuilder();
    String sep = "";
    for (Map.Entry<String, Integer> e : new TreeMap<>(owned).entrySet()) {
      sb.append(sep).append(e.getKey()).append(" x").append(e.getValue());
      sep = ", ";
    }
    if (descendantScopes > 0) {
      sb.append(sep).append(descendantScopes).append(descendantScopes == 1 ? " scope" : " scopes");
      sep = ", ";
    }
    if (!tasks.isEmpty()) {
      sb.append(sep).append(tasks.size()).append(tasks.size() == 1 ? " task" : " tasks");
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(256);
    sb.append("LEAK: scope ")
        .append(path)
        .append(" was dropped without close() (age ")
        .append(Format.duration(age))
        .append(openedOnThread == null ? "" : ", opened on thread " + openedOnThread)
        .append(")\n");
    sb.append("  still owned: ").append(ownedDescription()).append('\n');
    for (String t : tasks) {
      sb.append("  task: ").append(t).append('\n');
    }
    if (allocationSite.isEmpty()) {
      sb.append("  opened at: not captured (leak level ")
          .append(level)
          .append("; run with -Dio.lifecycle.leakLevel=ALL to capture every site)\n");
    } else {
      sb.append("  opened at:\n");
      for (StackTraceElement e : allocationSite) {
        sb.append("    ").append(e).append('\n');
      }
    }
    for (String a : accesses) {
      sb.append("  accessed: ").append(a).append('\n');
    }
    if (cleanupFailure == null) {
      sb.append("  cleaned up: what it owned has been closed");
    } else {
      sb.append("  cleanup failed: ").append(cleanupFailure);
    }
    return sb.toString();
  }
}
