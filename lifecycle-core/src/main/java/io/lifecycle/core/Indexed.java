package io.lifecycle.core;

/**
 * An entry of a {@link Slots} list that can leave it before its owner closes (a child scope, a
 * task, a registration). It remembers its slot so that leaving is constant time; the list updates
 * the slot when it compacts. Both methods are called with the list's lock held.
 */
interface Indexed {
  int slot();

  void slot(int slot);
}
