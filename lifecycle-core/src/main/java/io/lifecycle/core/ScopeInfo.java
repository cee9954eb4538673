package io.lifecycle.core;

import com.google.errorprone.annotations.DoNotMock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An open scope, as seen by {@link Lifecycle#openScopes()}: what tests and tools inspect instead
 * of a heap dump. Immutable.
 */
@DoNotMock("Read real ones from Lifecycle.openScopes()")
public final class ScopeInfo {
  private final String path;
  private final String name;
  private final Duration age;
  private final List<StackTraceElement> allocationSite;
  private final Map<String, Integer> resources;
  private final int childScopes;
  private final List<TaskInfo> tasks;
  private final boolean closing;
  private final boolean root;
  private final long openedAtNanos;

  private ScopeInfo(ScopeNode node, Object[] entries, long now) {
    this.path = node.path();
    this.name = node.name;
    this.age = Duration.ofNanos(now - node.openedAt);
    this.openedAtNanos = node.openedAt;
    this.allocationSite = node.trace == null ? List.of() : node.trace.site();
    this.closing = node.state != ScopeNode.OPEN;
    this.root = node.parent == null;
    Map<String, Integer> owned = new TreeMap<>();
    List<TaskInfo> taskInfos = new ArrayList<>();
    int children = 0;
    for (Object e : entries) {
      if (e == null) {
        continue;
      }
      if (e instanceof ScopeNode) {
        children++;
      } else if (e instanceof TaskImpl<?> t) {
        if (!t.done) {
          taskInfos.add(new TaskInfo(t));
        }
      } else if (e instanceof Owned o) {
        owned.merge(o.type(), 1, Integer::sum);
      } else {
        owned.merge(Types.key(e), 1, Integer::sum);
      }
    }
    this.resources = Collections.unmodifiableMap(owned);
    this.childScopes = children;
    this.tasks = List.copyOf(taskInfos);
  }

  /** Collects every open scope, depth first from each root. */
  static List<ScopeInfo> all() {
    List<ScopeInfo> out = new ArrayList<>();
    long now = System.nanoTime();
    Deque<ScopeNode> stack = new ArrayDeque<>();
    for (ScopeNode root : Roots.all()) {
      stack.push(root);
      while (!stack.isEmpty()) {
        ScopeNode n = stack.pop();
        if (n.state == ScopeNode.CLOSED) {
          continue;
        }
        Object[] entries = Inventory.entries(n);
        out.add(new ScopeInfo(n, entries, now));
        for (int i = entries.length - 1; i >= 0; i--) {
          if (entries[i] instanceof ScopeNode child) {
            stack.push(child);
          }
        }
      }
    }
    return out;
  }

  /** Returns the path, such as {@code "app/room/job"}. */
  public String path() {
    return path;
  }

  /** Returns the name (the last element of the path). */
  public String name() {
    return name;
  }

  /** Returns how long the scope had been open when the info was taken. */
  public Duration age() {
    return age;
  }

  /**
   * Returns the {@link System#nanoTime()} reading taken when the scope opened: comparable with
   * other {@code nanoTime} readings of this JVM (by subtraction), so that a tool can tell exactly
   * whether a scope was opened before or after a point it recorded.
   */
  public long openedAtNanos() {
    return openedAtNanos;
  }

  /** Returns where the scope was opened (innermost first), or empty if not captured. */
  public List<StackTraceElement> allocationSite() {
    return allocationSite;
  }

  /**
   * Returns the resources, cleanup actions and listeners the scope owns directly, by type (a
   * lambda under its declaring class, {@code "Job (lambda)"}).
   */
  public Map<String, Integer> resources() {
    return resources;
  }

  /** Returns the number of child scopes the scope owns directly. */
  public int childScopes() {
    return childScopes;
  }

  /** Returns the scope's tasks whose thread has not finished. */
  public List<TaskInfo> tasks() {
    return tasks;
  }

  /** Returns whether the scope is a root. */
  public boolean isRoot() {
    return root;
  }

  /** Returns whether the scope was closing (not yet closed) when the info was taken. */
  public boolean isClosing() {
    return closing;
  }

  /** Returns "app/job (age 2.5 s, opened at Worker.run:42): AudioStream x1, 1 task". */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(path).append(" (age ").append(Format.duration(age));
    if (!allocationSite.isEmpty()) {
      sb.append(", opened at ").append(Trace.shortFrame(allocationSite.get(0)));
    }
    sb.append(closing ? ", closing)" : ")");
    String sep = ": ";
    for (Map.Entry<String, Integer> e : resources.entrySet()) {
      sb.append(sep).append(e.getKey()).append(" x").append(e.getValue());
      sep = ", ";
    }
    if (childScopes > 0) {
      sb.append(sep).append(childScopes).append(childScopes == 1 ? " child" : " children");
      sep = ", ";
    }
    if (!tasks.isEmpty()) {
      sb.append(sep).append(tasks.size()).append(tasks.size() == 1 ? " task" : " tasks");
    }
    return sb.toString();
  }
}
