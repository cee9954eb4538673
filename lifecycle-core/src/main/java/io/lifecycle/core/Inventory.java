package io.lifecycle.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a scope and its descendants own, by type, for reports: taken under each node's monitor in
 * turn, so it is a consistent view of each node but not of the whole subtree at one instant.
 * Bounded: a huge subtree is summarised, never walked in full.
 *
 * @param resources owned resources and actions by type, over the subtree
 * @param scopes descendant scopes (not counting the scope itself)
 * @param tasks descriptions of the tasks still running in the subtree (at most {@link #MAX_TASKS})
 * @param truncated whether the walk stopped at {@link #MAX_ENTRIES}
 */
record Inventory(Map<String, Integer> resources, int scopes, List<String> tasks, boolean truncated) {
  static final int MAX_ENTRIES = 100_000;
  static final int MAX_TASKS = 32;

  static final Inventory EMPTY = new Inventory(Map.of(), 0, List.of(), false);

  private static final Object[] NONE = new Object[0];

  static Inventory of(ScopeNode root) {
    Walk w = new Walk();
    w.visit(root);
    return new Inventory(
        Collections.unmodifiableMap(w.resources),
        w.scopes,
        List.copyOf(w.tasks),
        w.visited >= MAX_ENTRIES);
  }

  /** Returns the direct entries of {@code node}, read under its monitor. */
  static Object[] entries(ScopeNode node) {
    synchronized (node) {
      Children c = node.children;
      if (c == null || c.slots == null) {
        return NONE;
      }
      return Arrays.copyOf(c.slots, c.size);
    }
  }

  private static final class Walk {
    final Map<String, Integer> resources = new TreeMap<>();
    final List<String> tasks = new ArrayList<>();
    int scopes;
    int visited;

    /** Walks the subtree iteratively: a deep tree cannot overflow the stack. */
    void visit(ScopeNode root) {
      ArrayDeque<ScopeNode> pending = new ArrayDeque<>();
      pending.push(root);
      while (!pending.isEmpty()) {
        ScopeNode node = pending.pop();
        if (node != root) {
          scopes++;
        }
        for (Object e : entries(node)) {
          if (e == null) {
            continue;
          }
          if (++visited >= MAX_ENTRIES) {
            return;
          }
          if (e instanceof ScopeNode child) {
            pending.push(child);
          } else if (e instanceof TaskImpl<?> t) {
            if (!t.done && tasks.size() < MAX_TASKS) {
              tasks.add(t.toString());
            }
          } else if (e instanceof Owned o) {
            resources.merge(o.type(), 1, Integer::sum);
          } else {
            resources.merge(Types.key(e), 1, Integer::sum);
          }
        }
      }
    }
  }
}
