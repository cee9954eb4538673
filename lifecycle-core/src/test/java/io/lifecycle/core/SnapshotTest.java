package io.lifecycle.core;

import static io.lifecycle.core.Internals.unique;
import static io.lifecycle.core.ScopeTest.assertNpe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** {@link Snapshot}: live counts, growth, the table, the bounded key set (issue 2 req 7). */
@SuppressWarnings("MustBeClosedChecker") // scopes are closed explicitly
class SnapshotTest {

  /** A resource type no other test owns, so that its count is exact. */
  static final class SnapshotProbe implements AutoCloseable {
    @Override
    public void close() {}
  }

  private static final String PROBE = "SnapshotTest$SnapshotProbe";

  /** Open scopes are counted by name and owned resources by type; both fall back on close. */
  @Test
  void snapshot_countsScopesByNameAndResourcesByType() {
    String name = unique("counted");
    Scope a = Scope.open(name);
    Scope b = Scope.open(name);
    Scope c = a.child(name);
    a.own(new SnapshotProbe());
    b.own(new SnapshotProbe());
    Snapshot s = Lifecycle.snapshot();
    assertEquals(3L, s.scopes().get(name));
    assertEquals(2L, s.resources().get(PROBE));
    assertFalse(s.isGrowth());
    c.close();
    a.close();
    b.close();
    Snapshot after = Lifecycle.snapshot();
    assertNull(after.scopes().get(name), "a name at zero is dropped");
    assertNull(after.resources().get(PROBE));
  }

  /** since() gives the growth by name and type, tasks included; zero changes are left out. */
  @Test
  void since_showsGrowth() throws Exception {
    String name = unique("growing");
    String job = unique("job");
    Snapshot before = Lifecycle.snapshot();
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(1);
    try (Scope app = Scope.open(name)) {
      app.child(job).own(new SnapshotProbe());
      app.child(job).own(new SnapshotProbe());
      app.own(new SnapshotProbe());
      app.fork(
          () -> {
            started.countDown();
            release.await();
          });
      started.await();
      Snapshot growth = Lifecycle.snapshot().since(before);
      assertTrue(growth.isGrowth());
      assertEquals(1L, growth.scopes().get(name));
      assertEquals(2L, growth.scopes().get(job));
      assertEquals(3L, growth.resources().get(PROBE));
      assertTrue(Lifecycle.snapshot().liveTasks() >= 1, "the running task is counted");
      assertEquals(0L, growth.leakReports());
      assertTrue(growth.totalScopes() >= 3);
      assertFalse(growth.toString().contains(" 0\n"), "unchanged names are left out");
      assertTrue(growth.toString().startsWith("lifecycle growth over "), growth.toString());
      release.countDown();
    }
  }

  /**
   * toString is an aligned table: a summary line, then scope names and owned types with their
   * counts right-aligned in one column, largest first.
   */
  @Test
  void toString_alignedTableSortedByCount() {
    Snapshot s =
        new Snapshot(
            map("room", 3L, "job", 120L),
            map("AudioStream", 240L, "Job (lambda)", 12L),
            2,
            1,
            0,
            false);
    assertEquals(
        """
        lifecycle snapshot: 123 scopes, 252 owned, 2 tasks, 1 leak reports
          scope        live
          job           120
          room            3
          owned type   live
          AudioStream   240
          Job (lambda)   12\
        """,
        s.toString());
    assertEquals(List.of("job", "room"), new ArrayList<>(s.scopes().keySet()));
    assertEquals(123, s.totalScopes());
    assertEquals(252, s.totalResources());
  }

  /** A growth table is sorted by the size of the change and shows signs. */
  @Test
  void since_toStringSortedByGrowthWithSigns() {
    Snapshot before = new Snapshot(map("job", 10L, "room", 5L), map("Stream", 4L), 0, 0, 0, false);
    Snapshot after =
        new Snapshot(
            map("job", 1_010L, "room", 2L, "new", 7L),
            map("Stream", 4L),
            0,
            0,
            2_000_000_000L,
            false);
    Snapshot growth = after.since(before);
    assertEquals(List.of("job", "new", "room"), new ArrayList<>(growth.scopes().keySet()));
    assertEquals(Map.of(), growth.resources());
    String text = growth.toString();
    assertEquals(
        """
        lifecycle growth over 2 s: +1004 scopes, 0 owned, 0 tasks, 0 leak reports
          scope        growth
          job           +1000
          new              +7
          room             -3\
        """,
        text);
  }

  /** since() refuses growth snapshots and null. */
  @Test
  void since_growthOrNull_rejected() {
    Snapshot a = Lifecycle.snapshot();
    Snapshot growth = Lifecycle.snapshot().since(a);
    assertThrows(IllegalArgumentException.class, () -> growth.since(a));
    assertThrows(IllegalArgumentException.class, () -> a.since(growth));
    assertNpe("earlier", () -> a.since(null));
  }

  /** The maps are unmodifiable. */
  @Test
  void maps_unmodifiable() {
    Snapshot s = Lifecycle.snapshot();
    assertThrows(UnsupportedOperationException.class, () -> s.scopes().put("x", 1L));
    assertThrows(UnsupportedOperationException.class, () -> s.resources().clear());
  }

  /**
   * The scope-name key set is bounded: past 1,024 names the rest is counted under "(other)"; when
   * the names fall to zero, their slots are given back and a new name gets its own count again.
   */
  @Test
  void keys_boundedWithOtherAndGivenBackAtZero() {
    Lifecycle.snapshot(); // prunes the names at zero
    String prefix = unique("distinct");
    List<Scope> scopes = new ArrayList<>();
    try {
      for (int i = 0; i < CounterTable.MAX_KEYS + 100; i++) {
        scopes.add(Scope.open(prefix + "-" + i));
      }
      Snapshot full = Lifecycle.snapshot();
      assertTrue(full.scopes().size() <= CounterTable.MAX_KEYS + 1, "bounded key set");
      assertTrue(full.scopes().getOrDefault(CounterTable.OTHER, 0L) >= 100, full::toString);
      assertTrue(Counters.SCOPES.keys() <= CounterTable.MAX_KEYS);
    } finally {
      for (Scope s : scopes) {
        s.close();
      }
    }
    Snapshot after = Lifecycle.snapshot();
    assertNull(after.scopes().get(CounterTable.OTHER), after::toString);
    assertTrue(Counters.SCOPES.keys() < 100, "slots given back: " + Counters.SCOPES.keys());
    String fresh = unique("fresh");
    try (Scope s = Scope.open(fresh)) {
      assertEquals(1L, Lifecycle.snapshot().scopes().get(fresh));
    }
  }

  private static Map<String, Long> map(Object... kv) {
    Map<String, Long> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], (Long) kv[i + 1]);
    }
    return m;
  }
}
