package io.lifecycle.core;

import java.util.concurrent.atomic.AtomicInteger;

/** Test access to the internal state behind the public API, and unique names. */
final class Internals {
  private Internals() {}

  private static final AtomicInteger IDS = new AtomicInteger();

  /** Returns {@code base} with a suffix no other call returned, so tests never share names. */
  static String unique(String base) {
    return base + "-" + IDS.incrementAndGet();
  }

  /** Returns the number of live entries the scope holds directly (resources, children, tasks). */
  static int liveEntries(Scope scope) {
    ScopeNode n = scope.node;
    synchronized (n) {
      Children c = n.children;
      return c == null ? 0 : c.live();
    }
  }

  /** Returns the number of non-null references in the scope's entry array (for closed scopes). */
  static int heldReferences(Scope scope) {
    ScopeNode n = scope.node;
    synchronized (n) {
      Children c = n.children;
      if (c == null || c.slots == null) {
        return 0;
      }
      int held = 0;
      for (Object o : c.slots) {
        if (o != null) {
          held++;
        }
      }
      return held;
    }
  }

  /** Returns the length of the scope's entry array (0 before the first entry). */
  static int slotCapacity(Scope scope) {
    ScopeNode n = scope.node;
    synchronized (n) {
      Children c = n.children;
      return c == null || c.slots == null ? 0 : c.slots.length;
    }
  }

  /** Returns whether a root with this path is registered among the open roots. */
  static boolean isOpenRoot(String path) {
    for (ScopeNode n : Roots.all()) {
      if (n.path().equals(path)) {
        return true;
      }
    }
    return false;
  }

  /** Closes the open root with this path, if any (cleans up after tests that drop a root). */
  static void closeRoot(String path) {
    for (ScopeNode n : Roots.all()) {
      if (n.path().equals(path)) {
        n.close();
      }
    }
  }
}
