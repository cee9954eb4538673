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
 * The open scopes at one moment, as a tree: what lets a check tell the scopes a test opened from
 * those that were open before it, and compare an older scope with itself before the test.
 *
 * <p>{@link ScopeInfo} has no identity, but it carries {@link ScopeInfo#openedAtNanos()}, the
 * {@link System#nanoTime()} reading taken when the scope opened. So whether a scope was opened
 * after a moment is exact ({@code openedAtNanos - moment >= 0}), and a scope of a later census is
 * the same as one of an earlier census when both its path and its opening reading are equal: two
 * scopes with one path would have to open within one tick of the clock to be confused.
 *
 * <p>Not thread-safe; used by the thread running one check.
 */
final class ScopeCensus {
  /** One open scope. */
  static final class Node {
    final ScopeInfo info;
    final Node parent;
    final List<Node> children = new ArrayList<>();

    /** The same scope in the earlier census, once {@link #matchAgainst} found it. */
    Node earlier;

    Node(ScopeInfo info, Node parent) {
      this.info = info;
      this.parent = parent;
    }

    String path() {
      return info.path();
    }

    /** Returns whether the scope opened at or after {@code nanos} (a nanoTime reading). */
    boolean openedSince(long nanos) {
      return info.openedAtNanos() - nanos >= 0;
    }
  }

  /** What identifies a scope across censuses. */
  private record Identity(String path, long openedAtNanos) {
    static Identity of(Node n) {
      return new Identity(n.path(), n.info.openedAtNanos());
    }
  }

  /** Every open scope, depth first from each root (the order of {@link Lifecycle#openScopes}). */
  final List<Node> nodes;

  private ScopeCensus(List<Node> nodes) {
    this.nodes = nodes;
  }

  /** Reads the open scopes now. */
  static ScopeCensus take() {
    return of(Lifecycle.openScopes());
  }

  /**
   * Builds the tree of {@code infos}, a depth-first walk as {@link Lifecycle#openScopes} returns
   * it: a scope's parent is the nearest earlier scope still on the path from the root whose path
   * is the scope's path without its last element (names contain no '/').
   */
  static ScopeCensus of(List<ScopeInfo> infos) {
    List<Node> nodes = new ArrayList<>(infos.size());
    Deque<Node> ancestors = new ArrayDeque<>();
    for (ScopeInfo info : infos) {
      if (info.isRoot()) {
        ancestors.clear();
      } else {
        String parentPath = info.path().substring(0, info.path().lastIndexOf('/'));
        while (!ancestors.isEmpty() && !ancestors.peek().path().equals(parentPath)) {
          ancestors.pop();
        }
      }
      Node parent = ancestors.peek();
      Node n = new Node(info, parent);
      if (parent != null) {
        parent.children.add(n);
      }
      nodes.add(n);
      ancestors.push(n);
    }
    return new ScopeCensus(List.copyOf(nodes));
  }

  /**
   * Pairs each scope of this census with the same scope in {@code earlier}, if it was open then
   * (see the class comment); each earlier scope is paired at most once.
   */
  void matchAgainst(ScopeCensus earlier) {
    Map<Identity, Deque<Node>> before = new HashMap<>();
    for (Node e : earlier.nodes) {
      before.computeIfAbsent(Identity.of(e), k -> new ArrayDeque<>(1)).add(e);
    }
    for (Node n : nodes) {
      Deque<Node> same = before.get(Identity.of(n));
      if (same != null) {
        n.earlier = same.poll();
      }
    }
  }
}
