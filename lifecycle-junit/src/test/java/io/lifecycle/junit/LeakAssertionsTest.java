package io.lifecycle.junit;

import static io.lifecycle.junit.Leftovers.hold;
import static io.lifecycle.junit.Leftovers.leak;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifecycle.core.LeakLevel;
import io.lifecycle.core.Lifecycle;
import io.lifecycle.core.Registration;
import io.lifecycle.core.Scope;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link LeakAssertions}: the check for code that does not run under {@code @LeakCheck}. */
class LeakAssertionsTest {
  private LeakLevel original;

  @BeforeEach
  void sampled() {
    original = Lifecycle.leakLevel(LeakLevel.SAMPLED);
  }

  @AfterEach
  void cleanUp() throws InterruptedException {
    Lifecycle.leakLevel(original);
    Leftovers.cleanUp();
  }

  @Test
  void assertNoLeaks_cleanBody_passes() throws Exception {
    LeakAssertions.assertNoLeaks(
        () -> {
          try (Scope job = Scope.open("job")) {
            job.own(new AudioStream());
            job.fork(() -> 1);
            job.join();
          }
          Thread.ofVirtual().start(() -> {}).join();
        });
  }

  private static int line;

  private static void openAndKeep() {
    line = Kit.nextLine();
    hold(Scope.open("kept")).own(new AudioStream());
  }

  @Test
  void assertNoLeaks_leakingBody_failsWithTheReport() {
    AssertionError e =
        assertThrows(
            AssertionError.class, () -> LeakAssertions.assertNoLeaks(LeakAssertionsTest::openAndKeep));
    LeakCheckTest.assertLines(
        e.getMessage(),
        "1 scope leaked: kept (opened at LeakAssertionsTest.openAndKeep:" + line
            + ") still owns AudioStream x1",
        "",
        "leaked scopes (1):",
        "~  kept  open  age \\d+ ms  owns AudioStream x1",
        "      opened at io.lifecycle.junit.LeakAssertionsTest.openAndKeep(LeakAssertionsTest.java:"
            + line
            + ")",
        "...");
  }

  @Test
  void assertNoLeaks_bodyThrows_rethrowsIt_withTheLeakSuppressed() {
    IOException thrown = new IOException("the body's failure");
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                LeakAssertions.assertNoLeaks(
                    () -> {
                      openAndKeep();
                      throw thrown;
                    }));
    assertSame(thrown, e);
    assertEquals(1, e.getSuppressed().length);
    assertTrue(e.getSuppressed()[0].getMessage().startsWith("1 scope leaked: kept"));

    RuntimeException clean = new IllegalStateException("no leak");
    assertSame(
        clean,
        assertThrows(
            IllegalStateException.class,
            () ->
                LeakAssertions.assertNoLeaks(
                    () -> {
                      throw clean;
                    })));
    assertEquals(0, clean.getSuppressed().length);
  }

  private static void dropPreviousLeak() {
    Scope.open("previous-test-leak").own(new AudioStream());
  }

  private static int ownLine;

  private static void dropOwnLeak() {
    ownLine = Kit.nextLine();
    Scope.open("own-leak").own(new AudioStream());
  }

  /**
   * A scope dropped before the check, found by the collector during it and delivered late (a
   * listener before the check's own takes 20 ms per report), is not the body's leak; a scope the
   * body drops still is.
   */
  @Test
  void assertNoLeaks_scopeDroppedBeforeTheCheck_isNotBlamed_evenWithASlowListener()
      throws Exception {
    List<String> reported = new CopyOnWriteArrayList<>();
    try (Registration slow = LeakCheckTest.slowListener(Duration.ofMillis(20), reported)) {
      dropPreviousLeak();
      LeakAssertions.assertNoLeaks(() -> {});
      assertTrue(reported.contains("previous-test-leak"), reported::toString);

      dropPreviousLeak();
      AssertionError e =
          assertThrows(
              AssertionError.class,
              () -> LeakAssertions.assertNoLeaks(LeakAssertionsTest::dropOwnLeak));
      assertEquals(
          "1 scope leaked: own-leak (opened at LeakAssertionsTest.dropOwnLeak:"
              + ownLine
              + ") was dropped without close, still owning AudioStream x1",
          e.getMessage().lines().findFirst().orElseThrow());
      assertFalse(e.getMessage().contains("previous-test-leak"), e::getMessage);
    }
  }

  @Test
  void builder_lingerAndIgnorePatterns() throws Exception {
    AssertionError e =
        assertThrows(
            AssertionError.class,
            () ->
                LeakAssertions.builder()
                    .linger(Duration.ZERO)
                    .assertNoLeaks(() -> leak(Thread.ofPlatform().name("worker"))));
    assertEquals(
        "1 thread still running: worker (platform)", e.getMessage().lines().findFirst().orElse(""));

    LeakAssertions.builder()
        .linger(Duration.ofSeconds(5))
        .assertNoLeaks(() -> Thread.ofVirtual().start(Stragglers.endingInTheLinger()));

    LeakAssertions.builder()
        .linger(Duration.ZERO)
        .timeout(Duration.ofSeconds(1))
        .ignoreThreads("work.*")
        .ignoreScopes("kept")
        .assertNoLeaks(
            () -> {
              leak(Thread.ofPlatform().name("worker"));
              hold(Scope.open("kept")).child("child").own(new AudioStream());
            });
  }

  @Test
  void checkpoint_spansSeparateHooks_andEndsOnce() throws InterruptedException {
    LeakAssertions.Checkpoint checkpoint = LeakAssertions.builder().start();
    assertEquals(LeakLevel.ALL, Lifecycle.leakLevel());
    openAndKeep();
    AssertionError e = assertThrows(AssertionError.class, checkpoint::assertNoLeaks);
    assertTrue(e.getMessage().startsWith("1 scope leaked: kept"));
    assertEquals(LeakLevel.SAMPLED, Lifecycle.leakLevel(), "restored");
    assertEquals(
        "this checkpoint has already ended",
        assertThrows(IllegalStateException.class, checkpoint::assertNoLeaks).getMessage());
    checkpoint.close(); // no-op after the verdict
    assertEquals(LeakLevel.SAMPLED, Lifecycle.leakLevel());
  }

  @Test
  void checkpoint_close_endsWithoutVerdict_andRestoresTheLevel() {
    try (LeakAssertions.Checkpoint checkpoint = LeakAssertions.builder().start()) {
      openAndKeep();
      assertEquals(LeakLevel.ALL, Lifecycle.leakLevel());
    }
    assertEquals(LeakLevel.SAMPLED, Lifecycle.leakLevel());
  }

  @Test
  void nestedChecks_restoreTheLevelOnlyWhenTheLastEnds() throws Exception {
    LeakAssertions.Checkpoint outer = LeakAssertions.builder().start();
    LeakAssertions.Checkpoint inner = LeakAssertions.builder().start();
    outer.close(); // out of order
    assertEquals(LeakLevel.ALL, Lifecycle.leakLevel(), "the inner check is still running");
    inner.assertNoLeaks();
    assertEquals(LeakLevel.SAMPLED, Lifecycle.leakLevel());
  }

  @Test
  void interrupted_endsTheCheck_andRestoresTheLevel() {
    LeakAssertions.Checkpoint checkpoint = LeakAssertions.builder().start();
    Thread.currentThread().interrupt();
    assertThrows(InterruptedException.class, checkpoint::assertNoLeaks);
    assertEquals(LeakLevel.SAMPLED, Lifecycle.leakLevel());
  }

  @Test
  void builder_rejectsBadArguments() {
    LeakAssertions.Builder b = LeakAssertions.builder();
    assertEquals(
        "timeout must not be negative: PT-1S",
        assertThrows(IllegalArgumentException.class, () -> b.timeout(Duration.ofSeconds(-1)))
            .getMessage());
    assertEquals(
        "linger must not be negative: PT-0.001S",
        assertThrows(IllegalArgumentException.class, () -> b.linger(Duration.ofMillis(-1)))
            .getMessage());
    assertEquals(
        "timeout", assertThrows(NullPointerException.class, () -> b.timeout(null)).getMessage());
    assertEquals(
        "body", assertThrows(NullPointerException.class, () -> b.assertNoLeaks(null)).getMessage());
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> b.ignoreThreads("ok", "bad["))
            .getMessage()
            .startsWith("ignoreThreads pattern \"bad[\" is not a regular expression"));
    assertEquals(
        "regexes[0]",
        assertThrows(NullPointerException.class, () -> b.ignoreScopes((String) null)).getMessage());
    b.timeout(Duration.ofSeconds(1));
    assertEquals(
        "timeout was already set",
        assertThrows(IllegalStateException.class, () -> b.timeout(Duration.ofSeconds(2)))
            .getMessage());
  }
}
