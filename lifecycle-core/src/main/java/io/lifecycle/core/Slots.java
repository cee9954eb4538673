package io.lifecycle.core;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import java.util.Arrays;

/**
 * An ordered list of owned entries with constant-time append and amortized constant-time removal
 * of {@link Indexed} entries.
 *
 * <p>Implementation notes: entries live in an array in registration order, which is the reverse of
 * close order. Removing an entry clears its slot; trailing empty slots are dropped at once (so the
 * common last-in, first-out release leaves no trace), and interior ones are counted as holes. When
 * holes outnumber half the entries the array is compacted in order, moving every live entry at
 * most once per halving, which is amortized constant time per removal; a compaction that leaves
 * the array mostly empty also shrinks it. The list therefore never holds more than twice its live
 * entries plus a small constant, however many entries come and go.
 *
 * <p>Not thread-safe: the owner guards every call with its lock.
 */
class Slots {
  private static final int INITIAL_CAPACITY = 4;
  private static final int MIN_COMPACT = 8;

  /** The entries; {@code null} slots are holes. Null until the first append. */
  Object[] slots;
  /** Slots in use, including interior holes; entries beyond it are null. */
  int size;
  /** Interior holes: null slots below {@code size}. */
  int holes;

  /** Appends {@code entry} and returns its slot (ignored for entries that never leave early). */
  @CanIgnoreReturnValue
  final int append(Object entry) {
    Object[] a = slots;
    if (a == null) {
      slots = a = new Object[INITIAL_CAPACITY];
    } else if (size == a.length) {
      if (holes > size >>> 2) {
        compact();
      } else {
        slots = Arrays.copyOf(a, a.length << 1);
      }
      a = slots;
    }
    int slot = size++;
    a[slot] = entry;
    return slot;
  }

  /** Clears the slot of {@code entry}, which must be live at {@code slot}. */
  final void remove(int slot) {
    Object[] a = slots;
    a[slot] = null;
    if (slot == size - 1) {
      int s = slot;
      while (s > 0 && a[s - 1] == null) {
        s--;
        holes--;
      }
      size = s;
      if (a.length > 4 * INITIAL_CAPACITY && s < a.length >>> 2) {
        slots = Arrays.copyOf(a, a.length >>> 1);
      }
    } else {
      holes++;
      if (holes >= MIN_COMPACT && holes > size >>> 1) {
        compact();
      }
    }
  }

  /** Returns the number of live entries. */
  final int live() {
    return size - holes;
  }

  /** Moves live entries down over the holes, keeping their order, and shrinks a sparse array. */
  private void compact() {
    Object[] a = slots;
    int w = 0;
    for (int r = 0; r < size; r++) {
      Object o = a[r];
      if (o != null) {
        if (r != w) {
          a[w] = o;
          if (o instanceof Indexed x) {
            x.slot(w);
          }
        }
        w++;
      }
    }
    Arrays.fill(a, w, size, null);
    size = w;
    holes = 0;
    int capacity = a.length;
    if (capacity > 4 * INITIAL_CAPACITY && w < capacity >>> 2) {
      slots = Arrays.copyOf(a, Math.max(INITIAL_CAPACITY, capacity >>> 1));
    }
  }
}
