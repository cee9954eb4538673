package io.lifecycle.junit;

import io.lifecycle.core.Lifecycle;
import io.lifecycle.core.ScopeInfo;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The open scopes at one moment, as a tree, with bounds on when each was opened: what lets a
 * check tell the scopes a test opened from those that were open before it.
 *
 * <p>{@link ScopeInfo} has no identity, only a path and an age taken at one instant inside {@link
 * Lifecycle#openScopes()}. Reading {@link System#nanoTime()} just before and just after that call
 * bounds the instant a scope was opened: {@code [before - age, after - age]}. The same scope seen
 * by two censuses has overlapping bounds (it was opened once), so a scope of a later census is
 * the same as an earlier one exactly when their paths are equal and their bounds overlap; two
 * different scopes with one path are confused only if they were opened within the duration of a
 * census of each other, around the moment the earlier census was taken.
 *
 * <p>Not thread-safe; used by the thread running one check.
 */
final class ScopeCensus {
  /** One open scope. */
  static final class Node {
    final ScopeInfo info;
    /** Bounds of the {@link System#nanoTime()} at which the scope was opened. */
    final long openedMin;

    final long openedMax;
    final Node parent;
    final List<Node> children = new ArrayList<>();

    /** The same scope in the earlier census, once {@link #matchAgainst} found it. */
    Node earlier;

    Node(ScopeInfo info, long openedMin, long openedMax, Node parent) {
      this.info = info;
      this.openedMin = openedMin;
      this.openedMax = openedMax;
      this.parent = parent;
    }

    String path() {
      return info.path();
    }

    boolean overlaps(long min, long max) {
      return openedMin <= max && min <= openedMax;
    }
  }

  /** Every open scope, depth first from each root (the order of {@link Lifecycle#openScopes}). */
  final List<Node> nodes;

  private final Map<String, List<Node>> byPath = new HashMap<>();

  private ScopeCensus(List<Node> nodes) {
    this.nodes = nodes;
    for (Node n : nodes) {
      byPath.computeIfAbsent(n.path(), k -> new ArrayList<>(1)).add(n);
    }
  }

  /** Reads the open scopes now. */
  static ScopeCensus take() {
    long start = System.nanoTime();
    List<ScopeInfo> infos = Lifecycle.openScopes();
    long end = System.nanoTime();
    List<Node> nodes = new ArrayList<>(infos.size());
    // The list is a depth-first walk: a scope's parent is the nearest earlier scope, still on the
    // path from the root, whose path plus "/" plus the scope's name is the scope's path.
    Deque<Node> ancestors = new ArrayDeque<>();
    for (ScopeInfo info : infos) {
      if (info.isRoot()) {
        ancestors.clear();
      } else {
        while (!ancestors.isEmpty() && !isParent(ancestors.peek().info, info)) {
          ancestors.pop();
        }
      }
      long age = ageNanos(info);
      Node parent = ancestors.peek();
      Node n = new Node(info, start - age, end - age, parent);
      if (parent != null) {
        parent.children.add(n);
      }
      nodes.add(n);
      ancestors.push(n);
    }
    return new ScopeCensus(List.copyOf(nodes));
  }

  private static boolean isParent(ScopeInfo parent, ScopeInfo child) {
    String p = parent.path();
    String c = child.path();
    return c.length() == p.length() + 1 + child.name().length()
        && c.startsWith(p)
        && c.charAt(p.length()) == '/'
        && c.endsWith(child.name());
  }

  private static long ageNanos(ScopeInfo info) {
    try {
      return info.age().toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE / 2; // open for centuries: certainly older than any check
    }
  }

  /**
   * Pairs each scope of this census with the same scope in {@code earlier}, if it was open then
   * (see the class comment); each earlier scope is paired at most once.
   */
  void matchAgainst(ScopeCensus earlier) {
    Map<Node, Boolean> used = new HashMap<>();
    for (Node n : nodes) {
      for (Node e : earlier.byPath.getOrDefault(n.path(), List.of())) {
        if (!used.containsKey(e) && e.overlaps(n.openedMin, n.openedMax)) {
          used.put(e, Boolean.TRUE);
          n.earlier = e;
          break;
        }
      }
    }
  }

  /**
   * Returns whether a scope with {@code path} that was open in this census could have been
   * opened between {@code min} and {@code max}.
   */
  boolean hadOpen(String path, long min, long max) {
    for (Node e : byPath.getOrDefault(path, List.of())) {
      if (e.overlaps(min, max)) {
        return true;
      }
    }
    return false;
  }
}
