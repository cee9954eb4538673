package io.lifecycle.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders {@link Lifecycle#dump()}: one line per scope, owned type and task, indented by depth.
 * Owned resources are grouped by type with a count, so a scope holding a million streams is one
 * line; scopes and tasks beyond the breadth bound, and subtrees beyond the depth bound, are
 * summarised in "... N more" lines. Only type names are printed (never a resource's {@code
 * toString()}), so the dump cannot fail or loop because of what a scope owns.
 */
final class Dump {
  private Dump() {}

  static final int MAX_DEPTH = 12;
  static final int MAX_CHILDREN = 32;
  static final int MAX_TASKS = 16;
  static final int MAX_ROOTS = 256;
  static final int MAX_TYPES = 32;

  static final String LEGEND = "[+= scope, +- owned (type x count), +> task]";

  static String render(List<ScopeNode> roots) {
    StringBuilder sb = new StringBuilder(256);
    long now = System.nanoTime();
    sb.append("lifecycle: ")
        .append(roots.size())
        .append(roots.size() == 1 ? " open root scope " : " open root scopes ")
        .append(LEGEND)
        .append('\n');
    int shown = 0;
    for (ScopeNode root : roots) {
      if (shown++ == MAX_ROOTS) {
        sb.append("... ").append(roots.size() - MAX_ROOTS).append(" more root scopes\n");
        break;
      }
      node(sb, root, "", 0, now);
    }
    return sb.toString();
  }

  private static void node(StringBuilder sb, ScopeNode n, String indent, int depth, long now) {
    sb.append(indent)
        .append("+= ")
        .append(n.path())
        .append(" (age ")
        .append(Format.duration(now - n.openedAt));
    if (n.trace != null) {
      sb.append(", opened at ").append(n.trace.firstFrame());
    }
    if (n.state != ScopeNode.OPEN) {
      sb.append(", ").append(n.stateName());
    }
    sb.append(")\n");
    String inner = indent + "|  ";
    Object[] entries = Inventory.entries(n);
    Map<String, Integer> owned = new TreeMap<>();
    List<ScopeNode> children = new ArrayList<>();
    List<TaskImpl<?>> tasks = new ArrayList<>();
    for (Object e : entries) {
      if (e == null) {
        continue;
      }
      if (e instanceof ScopeNode c) {
        children.add(c);
      } else if (e instanceof TaskImpl<?> t) {
        if (!t.done) {
          tasks.add(t);
        }
      } else if (e instanceof Owned o) {
        owned.merge(o.type(), 1, Integer::sum);
      } else {
        owned.merge(Types.key(e), 1, Integer::sum);
      }
    }
    int types = 0;
    for (Map.Entry<String, Integer> e : owned.entrySet()) {
      if (types++ == MAX_TYPES) {
        sb.append(inner).append("... ").append(owned.size() - MAX_TYPES).append(" more types\n");
        break;
      }
      sb.append(inner).append("+- ").append(e.getKey());
      if (e.getValue() > 1) {
        sb.append(" x").append(e.getValue());
      }
      sb.append('\n');
    }
    for (int i = 0; i < tasks.size(); i++) {
      if (i == MAX_TASKS) {
        sb.append(inner).append("... ").append(tasks.size() - MAX_TASKS).append(" more tasks\n");
        break;
      }
      Thread t = tasks.get(i).thread;
      sb.append(inner)
          .append("+> ")
          .append(t == null ? n.path() : t.getName())
          .append(" [")
          .append(tasks.get(i).state())
          .append(t != null && t.isVirtual() ? ", virtual]\n" : "]\n");
    }
    if (depth + 1 >= MAX_DEPTH && !children.isEmpty()) {
      sb.append(inner)
          .append("... ")
          .append(children.size())
          .append(children.size() == 1 ? " child scope" : " child scopes")
          .append(" below the depth limit\n");
      return;
    }
    for (int i = 0; i < children.size(); i++) {
      if (i == MAX_CHILDREN) {
        sb.append(inner)
            .append("... ")
            .append(children.size() - MAX_CHILDREN)
            .append(" more child scopes\n");
        break;
      }
      node(sb, children.get(i), inner, depth + 1, now);
    }
  }
}
