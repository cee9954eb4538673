package io.lifecycle.core;

import java.util.concurrent.atomic.LongAdder;

/** The live counters behind {@link Lifecycle#snapshot()}; on at every leak level. */
final class Counters {
  private Counters() {}

  /** Open scopes by name. */
  static final CounterTable SCOPES = new CounterTable();

  /** Owned resources (and actions, listeners) by type. */
  static final CounterTable RESOURCES = new CounterTable();

  /** Tasks whose thread has not finished. */
  static final LongAdder TASKS = new LongAdder();

  /** Leak reports made since the JVM started. */
  static final LongAdder LEAKS = new LongAdder();
}
