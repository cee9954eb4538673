package io.lifecycle.core;

import com.google.errorprone.annotations.DoNotMock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Live counts at one instant, or the growth between two instants ({@link #since}).
 *
 * <p>Open scopes are counted by name, owned resources (and cleanup actions, listeners) by type.
 * The key sets are bounded: at most 1,024 names and 1,024 types have their own count; the rest are
 * counted under {@code "(other)"}. Keep scope names low-cardinality, like metric names.
 *
 * <p>Immutable and thread-safe. {@link #toString()} is a readable, aligned table sorted by count
 * (or by growth).
 */
@DoNotMock("Take a real one with Lifecycle.snapshot()")
public final class Snapshot {
  private final Map<String, Long> scopes;
  private final Map<String, Long> resources;
  private final long tasks;
  private final long leaks;
  private final long takenAt;
  private final long intervalNanos;
  private final boolean growth;

  Snapshot(
      Map<String, Long> scopes,
      Map<String, Long> resources,
      long tasks,
      long leaks,
      long takenAt,
      boolean growth) {
    this(scopes, resources, tasks, leaks, takenAt, 0, growth);
  }

  private Snapshot(
      Map<String, Long> scopes,
      Map<String, Long> resources,
      long tasks,
      long leaks,
      long takenAt,
      long intervalNanos,
      boolean growth) {
    this.scopes = Collections.unmodifiableMap(new LinkedHashMap<>(sorted(scopes)));
    this.resources = Collections.unmodifiableMap(new LinkedHashMap<>(sorted(resources)));
    this.tasks = tasks;
    this.leaks = leaks;
    this.takenAt = takenAt;
    this.intervalNanos = intervalNanos;
    this.growth = growth;
  }

  /**
   * Returns the open scopes by name (for a growth snapshot: the change by name), largest first.
   */
  public Map<String, Long> scopes() {
    return scopes;
  }

  /**
   * Returns the owned resources by type (a lambda counted under its declaring class, {@code "Job
   * (lambda)"}), largest first; for a growth snapshot, the change by type.
   */
  public Map<String, Long> resources() {
    return resources;
  }

  /** Returns the open scopes in all (or their growth). */
  public long totalScopes() {
    return sum(scopes);
  }

  /** Returns the owned resources in all (or their growth). */
  public long totalResources() {
    return sum(resources);
  }

  /** Returns the tasks whose thread has not finished (or their growth). */
  public long liveTasks() {
    return tasks;
  }

  /** Returns the leak reports made since the JVM started (or since the earlier snapshot). */
  public long leakReports() {
    return leaks;
  }

  /** Returns whether this is a growth snapshot made by {@link #since}. */
  public boolean isGrowth() {
    return growth;
  }

  /**
   * Returns the growth from {@code earlier} to this snapshot: for each name and type, this count
   * minus the earlier one (names at zero in both are left out). Growth that persists across
   * repeated cycles of the same workload is a leak.
   *
   * @param earlier a snapshot taken before this one
   * @throws IllegalArgumentException if either snapshot is already a growth snapshot
   */
  public Snapshot since(Snapshot earlier) {
    Checks.notNull(earlier, "earlier");
    if (growth || earlier.growth) {
      throw new IllegalArgumentException("since() needs two plain snapshots, not growth");
    }
    return new Snapshot(
        diff(scopes, earlier.scopes),
        diff(resources, earlier.resources),
        tasks - earlier.tasks,
        leaks - earlier.leaks,
        takenAt,
        takenAt - earlier.takenAt,
        true);
  }

  private static Map<String, Long> diff(Map<String, Long> now, Map<String, Long> before) {
    Map<String, Long> out = new LinkedHashMap<>();
    TreeSet<String> keys = new TreeSet<>(now.keySet());
    keys.addAll(before.keySet());
    for (String k : keys) {
      long d = now.getOrDefault(k, 0L) - before.getOrDefault(k, 0L);
      if (d != 0) {
        out.put(k, d);
      }
    }
    return out;
  }

  private static Map<String, Long> sorted(Map<String, Long> counts) {
    List<Map.Entry<String, Long>> entries = new ArrayList<>(counts.entrySet());
    entries.sort(
        Comparator.comparingLong((Map.Entry<String, Long> e) -> -Math.abs(e.getValue()))
            .thenComparing(Map.Entry::getKey));
    Map<String, Long> out = new LinkedHashMap<>();
    for (Map.Entry<String, Long> e : entries) {
      out.put(e.getKey(), e.getValue());
    }
    return out;
  }

  private static long sum(Map<String, Long> counts) {
    long s = 0;
    for (long v : counts.values()) {
      s += v;
    }
    return s;
  }

  @Override
  public String toString() {
    String column = growth ? "growth" : "live";
    StringBuilder sb = new StringBuilder();
    if (growth) {
      sb.append("lifecycle growth over ").append(Format.duration(intervalNanos)).append(": ");
    } else {
      sb.append("lifecycle snapshot: ");
    }
    sb.append(count(totalScopes()))
        .append(" scopes, ")
        .append(count(totalResources()))
        .append(" owned, ")
        .append(count(tasks))
        .append(" tasks, ")
        .append(count(leaks))
        .append(" leak reports\n");
    int width = 12;
    for (String k : scopes.keySet()) {
      width = Math.max(width, k.length());
    }
    for (String k : resources.keySet()) {
      width = Math.max(width, k.length());
    }
    int valueWidth = column.length();
    for (long v : scopes.values()) {
      valueWidth = Math.max(valueWidth, count(v).length());
    }
    for (long v : resources.values()) {
      valueWidth = Math.max(valueWidth, count(v).length());
    }
    table(sb, "scope", column, scopes, width, valueWidth);
    table(sb, "owned type", column, resources, width, valueWidth);
    return sb.toString().stripTrailing();
  }

  private String count(long n) {
    return growth && n > 0 ? "+" + n : Long.toString(n);
  }

  private void table(
      StringBuilder sb,
      String title,
      String column,
      Map<String, Long> rows,
      int width,
      int valueWidth) {
    if (rows.isEmpty()) {
      return;
    }
    sb.append("  ")
        .append(pad(title, width))
        .append(' ')
        .append(" ".repeat(valueWidth - column.length()))
        .append(column)
        .append('\n');
    for (Map.Entry<String, Long> e : rows.entrySet()) {
      String v = count(e.getValue());
      sb.append("  ")
          .append(pad(e.getKey(), width))
          .append(' ')
          .append(" ".repeat(valueWidth - v.length()))
          .append(v)
          .append('\n');
    }
  }

  private static String pad(String s, int width) {
    return s.length() >= width ? s : s + " ".repeat(width - s.length());
  }
}
