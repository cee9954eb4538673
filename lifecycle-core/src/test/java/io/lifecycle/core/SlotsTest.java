package io.lifecycle.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ordered entry list with constant-time removal behind every owner (issue 2 req 4). */
class SlotsTest {

  /** An entry that remembers its slot. */
  static final class Item implements Indexed {
    final int id;
    int slot;

    Item(int id) {
      this.id = id;
    }

    @Override
    public int slot() {
      return slot;
    }

    @Override
    public void slot(int slot) {
      this.slot = slot;
    }
  }

  /** Appends get increasing slots; removing the last entries trims the list. */
  @Test
  void appendAndRemoveLast_trims() {
    Slots s = new Slots();
    List<Item> items = add(s, 5);
    assertEquals(5, s.size);
    s.remove(items.get(4).slot);
    s.remove(items.get(3).slot);
    assertEquals(3, s.size);
    assertEquals(0, s.holes);
    assertEquals(3, s.live());
  }

  /** Removing an interior entry leaves a hole, dropped once it becomes trailing. */
  @Test
  void removeInterior_holeThenTrimmed() {
    Slots s = new Slots();
    List<Item> items = add(s, 4);
    s.remove(items.get(1).slot);
    assertEquals(1, s.holes);
    assertEquals(3, s.live());
    s.remove(items.get(3).slot);
    s.remove(items.get(2).slot);
    assertEquals(1, s.size, "the hole below the trailing entries is dropped with them");
    assertEquals(0, s.holes);
  }

  /** Compaction keeps registration order and updates the remembered slots. */
  @Test
  void compaction_keepsOrderAndUpdatesSlots() {
    Slots s = new Slots();
    List<Item> items = add(s, 40);
    for (int i = 0; i < 39; i += 2) {
      s.remove(items.get(i).slot);
    }
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < s.size; i++) {
      Object o = s.slots[i];
      if (o != null) {
        Item it = (Item) o;
        assertSame(it, s.slots[it.slot], "slot of " + it.id);
        order.add(it.id);
      }
    }
    List<Integer> expected = new ArrayList<>();
    for (int i = 1; i < 40; i += 2) {
      expected.add(i);
    }
    assertEquals(expected, order);
    assertTrue(s.holes <= s.size / 2 + 8);
  }

  /** A first-in-first-out churn keeps the array within a small multiple of the live entries. */
  @Test
  void fifoChurn_staysBounded() {
    Slots s = new Slots();
    java.util.ArrayDeque<Item> window = new java.util.ArrayDeque<>();
    for (int i = 0; i < 100_000; i++) {
      Item it = new Item(i);
      it.slot = s.append(it);
      window.add(it);
      if (window.size() > 100) {
        s.remove(window.removeFirst().slot);
      }
      assertTrue(s.slots.length <= 4 * 100 + 16, "length " + s.slots.length);
    }
    assertEquals(100, s.live());
  }

  /** Emptying a grown list shrinks its array. */
  @Test
  void emptied_shrinks() {
    Slots s = new Slots();
    List<Item> items = add(s, 1000);
    for (int i = items.size() - 1; i >= 0; i--) {
      s.remove(items.get(i).slot);
    }
    assertEquals(0, s.size);
    assertTrue(s.slots.length <= 16, "length " + s.slots.length);
    assertNull(s.slots[0]);
  }

  private static List<Item> add(Slots s, int n) {
    List<Item> items = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Item it = new Item(i);
      it.slot = s.append(it);
      items.add(it);
    }
    return items;
  }
}
