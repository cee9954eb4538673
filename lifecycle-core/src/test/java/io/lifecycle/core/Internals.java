package io.lifecycle.core;

import java.lang.reflect.Field;
import java.util.List;
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

  /** Returns the number of threads queued to wait for another thread's close of the scope. */
  static int waiters(Scope scope) {
    ScopeNode n = scope.node;
    synchronized (n) {
      Children c = n.children;
      int count = 0;
      for (Children.WaitNode w = c == null ? null : c.waiters; w != null; w = w.next) {
        count++;
      }
      return count;
    }
  }

  /** Returns the number of joiners registered on the task (its private joiner list). */
  static int joiners(Task<?> task) {
    TaskImpl<?> t = (TaskImpl<?>) task;
    synchronized (t.owner) {
      Object j = read(t, "joinWaiters");
      return j == null ? 0 : j instanceof List<?> list ? list.size() : 1;
    }
  }

  /**
   * Returns whether the task still holds its body: true for a task whose thread skipped the body
   * (cancelled before it started), false once the body was taken to run.
   */
  static boolean holdsBody(Task<?> task) {
    return read(task, "body") != null;
  }

  /** Reads a private field of a {@link TaskImpl}. */
  private static Object read(Object task, String field) {
    try {
      Field f = TaskImpl.class.getDeclaredField(field);
      f.setAccessible(true);
      return f.get(task);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("TaskImpl." + field + " is not readable", e);
    }
  }
}
