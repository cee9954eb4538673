package io.lifecycle.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The bounded live counters behind snapshots (issue 2 req 7). */
class CounterTableTest {

  /** Counting in and out by key; read() lists the non-zero counts. */
  @Test
  void incrementDecrement_readShowsNonZero() {
    CounterTable t = new CounterTable();
    LiveCount a = t.increment("a");
    t.increment("a");
    LiveCount b = t.increment("b");
    assertSame(a, t.current("a"));
    assertEquals(Map.of("a", 2L, "b", 1L), t.read());
    b.decrement();
    assertEquals(Map.of("a", 2L), t.read());
    assertEquals(2, t.keys(), "a zero count keeps its slot until pruned");
    t.prune();
    assertEquals(1, t.keys());
  }

  /** At most 1,024 keys have their own count; the rest are counted under "(other)". */
  @Test
  void increment_pastMaxKeys_countedUnderOther() {
    CounterTable t = new CounterTable();
    for (int i = 0; i < CounterTable.MAX_KEYS; i++) {
      assertFalse(t.isOther(t.increment("k" + i)));
    }
    LiveCount overflow = t.increment("one too many");
    assertTrue(t.isOther(overflow));
    assertTrue(t.isOther(t.increment("another")));
    assertEquals(CounterTable.MAX_KEYS, t.keys());
    Map<String, Long> read = t.read();
    assertEquals(2L, read.get(CounterTable.OTHER));
    assertEquals(CounterTable.MAX_KEYS + 1, read.size());
    assertSame(overflow, t.current("one too many"), "an unknown key is counted in (other)");
  }

  /** A key whose count falls to zero gives its slot back to a new key. */
  @Test
  void zeroCount_givesSlotBackToNewKey() {
    CounterTable t = new CounterTable();
    List<LiveCount> counts = new ArrayList<>();
    for (int i = 0; i < CounterTable.MAX_KEYS; i++) {
      counts.add(t.increment("k" + i));
    }
    counts.get(7).decrement(); // "k7" falls to zero
    LiveCount fresh = t.increment("fresh"); // the full table prunes and finds a slot
    assertFalse(t.isOther(fresh));
    assertEquals(CounterTable.MAX_KEYS, t.keys());
    assertFalse(t.read().containsKey("k7"));
  }

  /**
   * A full table is pruned at most every 100 ms when new keys arrive, so that a flood of new names
   * costs no walk of the table under its lock each time. Each round frees one slot (a count falls
   * to zero) and offers one new key, which gets a slot only if the table was pruned for it: the
   * number of such prunes is bounded by the time the rounds took, not by their number.
   */
  @Test
  void increment_fullTableFloodOfNewKeys_prunedAtMostEvery100ms() {
    CounterTable t = new CounterTable();
    List<LiveCount> counts = new ArrayList<>();
    for (int i = 0; i < CounterTable.MAX_KEYS; i++) {
      counts.add(t.increment("k" + i));
    }
    t.prune(); // just pruned (a snapshot would do this): the next prune is 100 ms away
    long start = System.nanoTime();
    int pruned = 0;
    int rounds = 1_000;
    for (int i = 0; i < rounds; i++) {
      counts.get(i).decrement(); // a slot to give back, found only by a prune
      if (!t.isOther(t.increment("new" + i))) {
        pruned++;
      }
    }
    long elapsed = System.nanoTime() - start;
    long allowed = 1 + elapsed / 100_000_000L;
    assertTrue(
        pruned <= allowed,
        pruned + " prunes for " + rounds + " new keys in " + elapsed / 1_000_000 + " ms");
  }

  /**
   * Threads counting in and out of a small key set while another prunes constantly: no count is
   * lost or left negative, and when everything is counted out, nothing is left.
   */
  @Test
  void concurrentIncrementDecrementAndPrune_noCountLost() throws Exception {
    CounterTable t = new CounterTable();
    AtomicBoolean done = new AtomicBoolean();
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    Thread pruner =
        Thread.ofPlatform()
            .start(
                () -> {
                  while (!done.get()) {
                    t.prune();
                    for (long v : t.read().values()) {
                      if (v < 0) {
                        failures.add(new AssertionError("negative count " + v));
                      }
                    }
                  }
                });
    List<Thread> workers = new ArrayList<>();
    for (ThreadKind kind : ThreadKind.values()) {
      for (int w = 0; w < 2; w++) {
        workers.add(
            kind.start(
                () -> {
                  ThreadLocalRandom random = ThreadLocalRandom.current();
                  List<LiveCount> held = new ArrayList<>();
                  for (int i = 0; i < 200_000; i++) {
                    if (held.isEmpty() || random.nextBoolean()) {
                      held.add(t.increment("key" + random.nextInt(4)));
                    } else {
                      held.remove(held.size() - 1).decrement();
                    }
                    if ((i & 1023) == 0) {
                      Thread.yield();
                    }
                  }
                  for (LiveCount c : held) {
                    c.decrement();
                  }
                }));
      }
    }
    for (Thread w : workers) {
      w.join();
    }
    done.set(true);
    pruner.join();
    assertTrue(failures.isEmpty(), failures::toString);
    assertEquals(Map.of(), t.read());
    t.prune();
    assertEquals(0, t.keys());
  }
}
