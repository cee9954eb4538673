package io.lifecycle.core;

/**
 * An owned entry that is not a plain resource: an action, a resource with its releaser, a
 * listener. The owner's close calls {@link #release} once, unless the entry left early.
 */
abstract class Owned {
  /** Releases what the entry stands for, on the closing thread. */
  abstract void release(ScopeNode owner) throws Exception;

  /** The key the entry is counted and shown under (a type's display name). */
  abstract String type();
}
