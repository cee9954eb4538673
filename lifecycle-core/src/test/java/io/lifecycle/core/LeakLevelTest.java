package io.lifecycle.core;

import static io.lifecycle.core.Internals.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What each {@link LeakLevel} captures when a scope opens (issue 2 req 5). */
@SuppressWarnings("MustBeClosedChecker") // scopes are closed explicitly
class LeakLevelTest {
  private static final int SCOPES = 4_000;

  /** DISABLED: not tracked, no site. */
  @Test
  void disabled_notTrackedNoSite() {
    assertEquals(0, sites(LeakLevel.DISABLED));
    assertFalse(LeakLevel.DISABLED.tracked());
  }

  /**
   * SAMPLED: every scope tracked; about one in 128 (the default sampling interval) carries its
   * site. With 4,000 scopes the expected 31 lies far inside the bounds asserted.
   */
  @Test
  void sampled_trackedAndSiteForOneInInterval() {
    assertEquals(128, Settings.SAMPLING_INTERVAL);
    int sites = sites(LeakLevel.SAMPLED);
    assertTrue(sites >= 5 && sites <= 120, "sites: " + sites);
    assertTrue(LeakLevel.SAMPLED.tracked());
  }

  /** ALL and PARANOID: every scope carries its site. */
  @Test
  void allAndParanoid_siteForEvery() {
    assertEquals(SCOPES, sites(LeakLevel.ALL));
    assertEquals(SCOPES, sites(LeakLevel.PARANOID));
  }

  /** PARANOID records accesses; ALL does not. */
  @Test
  void paranoid_recordsAccesses() {
    try (Scope all = Scope.builder(unique("all")).leakLevel(LeakLevel.ALL).open();
        Scope paranoid = Scope.builder(unique("paranoid")).leakLevel(LeakLevel.PARANOID).open()) {
      for (Scope s : List.of(all, paranoid)) {
        s.own(TestResource.of("r"));
        s.onClose(() -> {});
      }
      assertTrue(all.node.trace.accesses().isEmpty());
      List<Trace.Access> accesses = paranoid.node.trace.accesses();
      assertEquals(
          List.of("own", "onClose"), accesses.stream().map(Trace.Access::operation).toList());
      assertEquals("paranoid_recordsAccesses", accesses.get(0).frames().get(0).getMethodName());
    }
  }

  /** PARANOID keeps only the latest eight accesses. */
  @Test
  void paranoid_keepsLatestAccesses() {
    try (Scope s = Scope.builder(unique("busy")).leakLevel(LeakLevel.PARANOID).open()) {
      for (int i = 0; i < 20; i++) {
        s.onClose(() -> {}).cancel();
      }
      assertEquals(8, s.node.trace.accesses().size());
    }
  }

  private static int sites(LeakLevel level) {
    String name = unique("level");
    List<Scope> scopes = new ArrayList<>(SCOPES);
    int sites = 0;
    try {
      for (int i = 0; i < SCOPES; i++) {
        Scope s = Scope.builder(name).leakLevel(level).open();
        scopes.add(s);
        assertEquals(level.tracked(), s.node.tracked());
        if (s.node.trace != null) {
          sites++;
        }
      }
    } finally {
      for (Scope s : scopes) {
        s.close();
      }
    }
    return sites;
  }
}
