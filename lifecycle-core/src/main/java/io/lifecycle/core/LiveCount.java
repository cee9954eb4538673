package io.lifecycle.core;

import java.util.concurrent.atomic.LongAdder;

/**
 * A striped count of live things under one key (a scope name, a resource type) in a {@link
 * CounterTable}. Striped so that threads opening and closing scopes of the same name do not
 * contend on one word.
 *
 * <p>A count is {@linkplain #retired retired} while its table decides whether to drop it; a thread
 * that counts itself in and then sees it retired asks the table for the live count of its key
 * (see {@link CounterTable#increment(String)}).
 */
@SuppressWarnings("serial") // never serialized
final class LiveCount extends LongAdder {
  final String key;

  /** Set and cleared only under the table's prune lock. */
  volatile boolean retired;

  LiveCount(String key) {
    this.key = key;
  }
}
