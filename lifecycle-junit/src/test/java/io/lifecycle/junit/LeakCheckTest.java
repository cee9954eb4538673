package io.lifecycle.junit;

import static io.lifecycle.junit.Leftovers.hold;
import static io.lifecycle.junit.Leftovers.leak;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.lifecycle.core.LeakLevel;
import io.lifecycle.core.Lifecycle;
import io.lifecycle.core.Registration;
import io.lifecycle.core.Scope;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * {@link LeakCheck} on fixture classes run through the JUnit Platform: what fails, what passes,
 * and the message.
 */
class LeakCheckTest {

  @AfterEach
  void cleanUp() throws InterruptedException {
    Leftovers.cleanUp();
  }

  // ---------------------------------------------------------------------------------------------
  // Clean tests pass
  // ---------------------------------------------------------------------------------------------

  @LeakCheck
  static class Clean {
    private final Scope field = Scope.open("field");
    private Scope perTest;

    @BeforeEach
    void open() {
      perTest = Scope.open("per-test");
      perTest.own(new AudioStream());
    }

    @AfterEach
    void close() {
      perTest.close();
      field.close();
    }

    @Test
    void scopeClosed() {
      try (Scope job = Scope.open("job")) {
        job.own(new AudioStream());
        job.child("call").own(new AudioStream());
      }
    }

    @Test
    void taskJoined() throws Exception {
      try (Scope job = Scope.open("job")) {
        job.fork(() -> 42);
        job.join();
      }
    }

    @Test
    void taskCancelledByClose() {
      try (Scope job = Scope.open("job")) {
        job.fork(() -> Leftovers.awaitRelease());
      }
    }

    @Test
    void platformThreadJoined() throws InterruptedException {
      Thread t = Thread.ofPlatform().name("joined").start(() -> {});
      t.join();
    }

    @Test
    void virtualThreadJoined() throws InterruptedException {
      Thread.ofVirtual().name("joined").start(() -> {}).join();
    }

    @Test
    void executorShutDown() throws Exception {
      ExecutorService pool = Executors.newFixedThreadPool(2);
      pool.submit(() -> 1).get();
      pool.shutdown();
      assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    }

    @Test
    void executorOwnedByScope() throws Exception {
      try (Scope job = Scope.open("job")) {
        ExecutorService pool = job.own(Executors.newFixedThreadPool(2));
        pool.submit(() -> 1).get();
      }
    }

    @Test
    void commonPoolUsed() {
      assertEquals(499_500, java.util.stream.IntStream.range(0, 1000).parallel().sum());
    }
  }

  @Test
  void cleanTestsPass() {
    Kit.assertCounts(Kit.run(Clean.class), 8, 0);
  }

  // ---------------------------------------------------------------------------------------------
  // Scopes
  // ---------------------------------------------------------------------------------------------

  @LeakCheck
  static class LeavesScopeOpen {
    static int line;

    @Test
    void leaves() {
      line = Kit.nextLine();
      Scope held = hold(Scope.open("held"));
      held.own(new AudioStream());
      hold(held.child("call")).own(new AudioStream());
    }
  }

  @Test
  void scopeLeftOpen_fails_namingItsSiteAndWhatItOwns() {
    Throwable t = Kit.failure(Kit.run(LeavesScopeOpen.class), "leaves()");
    assertInstanceOf(AssertionError.class, t);
    String site = "LeakCheckTest$LeavesScopeOpen.leaves:" + LeavesScopeOpen.line;
    assertLines(
        t.getMessage(),
        "1 scope leaked: held (opened at " + site + ") still owns AudioStream x2, 1 child scope",
        "",
        "leaked scopes (1):",
        "~  held  open  age \\d+ ms  owns AudioStream x2, 1 child scope",
        "      opened at io.lifecycle.junit.LeakCheckTest$LeavesScopeOpen.leaves(LeakCheckTest.java:"
            + LeavesScopeOpen.line
            + ")",
        "...");
  }

  @LeakCheck
  static class DropsScope {
    static int line;

    @Test
    void drops() {
      dropOne();
    }

    private static void dropOne() {
      line = Kit.nextLine();
      Scope dropped = Scope.open("dropped");
      dropped.own(new AudioStream());
    }
  }

  @Test
  void scopeDropped_fails_asFoundByTheCollector() {
    Throwable t = Kit.failure(Kit.run(DropsScope.class), "drops()");
    String site = "LeakCheckTest$DropsScope.dropOne:" + DropsScope.line;
    assertLines(
        t.getMessage(),
        "1 scope leaked: dropped (opened at "
            + site
            + ") was dropped without close, still owning AudioStream x1",
        "",
        "leaked scopes (1):",
        "~  dropped  dropped  age \\d+ ms  owned AudioStream x1",
        "      opened at io.lifecycle.junit.LeakCheckTest$DropsScope.dropOne(LeakCheckTest.java:"
            + DropsScope.line
            + ")",
        "...");
    assertTrue(t.getMessage().contains("(dropped: unreachable without close()"), t.getMessage());
  }

  @LeakCheck
  static class GrowsOldScope {
    static Scope app;
    static int line;

    @BeforeAll
    static void open() {
      line = Kit.nextLine();
      app = Scope.builder("app").leakLevel(LeakLevel.ALL).open();
    }

    @AfterAll
    static void close() {
      app.close();
    }

    @Test
    void ownsIntoOldScope() {
      app.own(new AudioStream());
      app.onClose(() -> {});
    }

    @Test
    void releasesWhatItAdded() {
      app.onClose(() -> {}).close();
      try (Scope call = app.child("call")) {
        call.own(new AudioStream());
      }
    }
  }

  @Test
  void olderScopeThatGrows_fails_naming_whatItGained() {
    EngineExecutionResults results = Kit.run(GrowsOldScope.class);
    Kit.assertCounts(results, 1, 1);
    Throwable t = Kit.failure(results, "ownsIntoOldScope()");
    assertLines(
        t.getMessage(),
        "1 scope opened before the test grew: app (opened at LeakCheckTest$GrowsOldScope.open:"
            + GrowsOldScope.line
            + ") gained AudioStream x1, LeakCheckTest$GrowsOldScope (lambda) x1",
        "",
        "scopes opened before the test that own more after it (1):",
        "~  app  age \\d+ ms  gained AudioStream x1, LeakCheckTest\\$GrowsOldScope \\(lambda\\) x1",
        "      opened at io.lifecycle.junit.LeakCheckTest$GrowsOldScope.open(LeakCheckTest.java:"
            + GrowsOldScope.line
            + ")",
        "...");
  }

  // ---------------------------------------------------------------------------------------------
  // Threads
  // ---------------------------------------------------------------------------------------------

  @LeakCheck(lingerMillis = 0)
  static class LeaksThreads {
    static Scope pool;
    static long unnamedId;

    @BeforeAll
    static void open() {
      pool = Scope.open("pool");
    }

    @AfterAll
    static void close() {
      pool.close();
    }

    @Test
    void platform() throws InterruptedException {
      leak(Thread.ofPlatform().name("leaky-platform"));
    }

    @Test
    void forkedIntoScope() throws InterruptedException {
      CountDownLatch running = new CountDownLatch(1);
      Thread[] task = new Thread[1];
      pool.fork(
          () -> {
            task[0] = Thread.currentThread();
            Leftovers.awaitRelease(running); // publishes task[0]: it counts the latch down
          });
      running.await();
      Leftovers.awaitParked(task[0]);
    }

    @Test
    void rawVirtual() throws InterruptedException {
      leak(Thread.ofVirtual().name("raw-virtual"));
    }

    @Test
    void unnamedVirtual() throws InterruptedException {
      unnamedId = leak(Thread.ofVirtual()).threadId();
    }
  }

  @Test
  void threadsStillRunning_fail_withNameKindAndStack() {
    EngineExecutionResults results = Kit.run(LeaksThreads.class);
    Kit.assertCounts(results, 0, 4);

    String platform = Kit.failure(results, "platform()").getMessage();
    assertLines(
        platform,
        "1 thread still running: leaky-platform (platform)",
        "",
        "~threads still running \\d+ ms after the test \\(1\\):",
        "~  \"leaky-platform\" #\\d+  platform  TIMED_WAITING",
        "      at java.base/jdk.internal.misc.Unsafe.park(Native Method)",
        "...");
    assertStackHas(platform, "io.lifecycle.junit.Leftovers.awaitRelease(Leftovers.java:");

    String forked = Kit.failure(results, "forkedIntoScope()").getMessage();
    assertLines(
        forked,
        "1 thread still running: pool (virtual)",
        "",
        "~threads still running \\d+ ms after the test \\(1\\):",
        "~  \"pool\" #\\d+  virtual   TIMED_WAITING  task of scope pool",
        "...");
    assertStackHas(forked, "io.lifecycle.junit.Leftovers.awaitRelease(Leftovers.java:");

    String raw = Kit.failure(results, "rawVirtual()").getMessage();
    assertLines(
        raw,
        "1 thread still running: raw-virtual (virtual)",
        "",
        "~threads still running \\d+ ms after the test \\(1\\):",
        "~  \"raw-virtual\" #\\d+  virtual   TIMED_WAITING",
        "...");
    assertStackHas(raw, "io.lifecycle.junit.Leftovers.awaitRelease(Leftovers.java:");

    String unnamed = Kit.failure(results, "unnamedVirtual()").getMessage();
    assertLines(
        unnamed,
        "1 thread still running: #" + LeaksThreads.unnamedId + " (virtual)",
        "",
        "~threads still running \\d+ ms after the test \\(1\\):",
        "  \"\" #" + LeaksThreads.unnamedId + "  virtual   TIMED_WAITING",
        "...");
  }

  @LeakCheck(lingerMillis = 5_000)
  static class Lingers {
    static Scope pool;

    @BeforeAll
    static void open() {
      pool = Scope.open("pool");
    }

    @AfterAll
    static void close() {
      pool.close();
    }

    @Test
    void platformStraggler() {
      Thread.ofPlatform().name("straggler").start(Stragglers.endingInTheLinger());
    }

    @Test
    void virtualStraggler() {
      Thread.ofVirtual().name("straggler").start(Stragglers.endingInTheLinger());
    }

    @Test
    void taskStraggler() {
      Runnable straggler = Stragglers.endingInTheLinger();
      pool.fork(straggler::run);
    }
  }

  @Test
  void threadEndingWithinTheLinger_passes() {
    Kit.assertCounts(Kit.run(Lingers.class), 3, 0);
  }

  /** Drops a scope and leaks a thread; its check settles slowly (a slow leak listener). */
  @LeakCheck(lingerMillis = 0)
  static class SettlesSlowly {
    @Test
    void dropsAndLeaks() throws InterruptedException {
      Scope.open("dropped").own(new AudioStream());
      leak(Thread.ofPlatform().name("late"));
    }
  }

  @Test
  void threadSection_saysWhenThreadsWereLastSeen_notTheConfiguredLinger() {
    EngineExecutionResults results;
    try (Registration slow = slowListener(Duration.ofMillis(300), new ArrayList<>())) {
      results = Kit.run(SettlesSlowly.class);
    }
    String message = Kit.failure(results, "dropsAndLeaks()").getMessage();
    Matcher m =
        Pattern.compile("(?m)^threads still running ([0-9.]+) (ms|s) after the test \\(1\\):$")
            .matcher(message);
    assertTrue(m.find(), message);
    double millis = Double.parseDouble(m.group(1)) * (m.group(2).equals("s") ? 1_000 : 1);
    assertTrue(millis >= 300, () -> "lingerMillis is 0, settling took 300 ms or more:\n" + message);
  }

  // ---------------------------------------------------------------------------------------------
  // Whose leak: a scope opened before the test is never the test's
  // ---------------------------------------------------------------------------------------------

  /**
   * The first test opens a scope and keeps it (unchecked); the second drops the last reference to
   * it, so the collector finds it during the second test's check: it is not the second test's
   * leak, however late the report arrives. The third drops a scope of its own.
   */
  @LeakCheck(lingerMillis = 0)
  @TestMethodOrder(MethodOrderer.MethodName.class)
  static class DropsAnOlderScope {
    static Scope previous;
    static int line;

    @Test
    @LeakCheck(enabled = false)
    void a_opensAndKeeps() {
      previous = Scope.open("previous-test-leak");
      previous.own(new AudioStream());
    }

    @Test
    void b_dropsTheOlderScope() {
      previous = null;
    }

    @Test
    void c_dropsItsOwn() {
      line = Kit.nextLine();
      Scope.open("own-leak").own(new AudioStream());
    }
  }

  @Test
  void scopeOpenedBeforeTheTest_isNotBlamed_howeverLateItsReportIsDelivered() {
    List<String> reported = new CopyOnWriteArrayList<>();
    EngineExecutionResults results;
    // a listener that runs before the checks' own and takes 50 ms per report, as a slow
    // ServiceLoader listener (or a long collection) would
    try (Registration slow = slowListener(Duration.ofMillis(50), reported)) {
      results = Kit.run(DropsAnOlderScope.class);
    }
    assertTrue(reported.contains("previous-test-leak"), reported::toString);
    Kit.assertCounts(results, 2, 1);
    assertEquals(List.of("a_opensAndKeeps()", "b_dropsTheOlderScope()"), Kit.successes(results));
    assertEquals(
        "1 scope leaked: own-leak (opened at LeakCheckTest$DropsAnOlderScope.c_dropsItsOwn:"
            + DropsAnOlderScope.line
            + ") was dropped without close, still owning AudioStream x1",
        firstLine(Kit.failure(results, "c_dropsItsOwn()")));
  }

  /**
   * Registers a leak listener that records the path of each report and then sleeps for {@code
   * delay}: listeners registered later (a check's) get each report that much later.
   */
  static Registration slowListener(Duration delay, List<String> reported) {
    return Lifecycle.addLeakListener(
        r -> {
          reported.add(r.path());
          try {
            Thread.sleep(delay);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
  }

  // ---------------------------------------------------------------------------------------------
  // Order: the check spans construction, @BeforeEach and @AfterEach
  // ---------------------------------------------------------------------------------------------

  @LeakCheck
  static class Ordering {
    private final Scope field = Scope.open("field");
    private Scope beforeEach;

    @BeforeEach
    void open() {
      beforeEach = Scope.open("before-each");
    }

    @Test
    void closedInAfterEach() {
      beforeEach.own(new AudioStream());
    }

    @AfterEach
    void close() {
      beforeEach.close();
      field.close();
    }

    @Nested
    class Inner {
      private final Scope inner = Scope.open("inner");

      @Test
      void closedInOuterAfterEach() {}

      @AfterEach
      void closeInner() {
        inner.close();
      }
    }
  }

  @LeakCheck
  static class LeaksInBeforeEach {
    @BeforeEach
    void open() {
      hold(Scope.open("before-each"));
    }

    @Test
    void beforeEachLeaks() {}
  }

  @LeakCheck
  static class LeaksInField {
    static int line;
    private final Scope field = hold(opened());

    private static Scope opened() {
      line = Kit.nextLine();
      return Scope.open("field");
    }

    @Test
    void fieldLeaks() {}
  }

  @LeakCheck
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  static class PerClass {
    @Test
    void leaksInPerClassInstance() {
      hold(Scope.open("per-class"));
    }
  }

  @Test
  void checkRunsAfterAfterEach_andStartsBeforeBeforeEachAndConstruction() {
    Kit.assertCounts(Kit.run(Ordering.class), 2, 0);

    EngineExecutionResults leaks =
        Kit.run(LeaksInBeforeEach.class, LeaksInField.class, PerClass.class);
    Kit.assertCounts(leaks, 0, 3);
    assertTrue(
        Kit.failure(leaks, "beforeEachLeaks()")
            .getMessage()
            .startsWith("1 scope leaked: before-each (opened at LeakCheckTest$LeaksInBeforeEach"));
    assertEquals(
        "1 scope leaked: field (opened at LeakCheckTest$LeaksInField.opened:"
            + LeaksInField.line
            + ") is still open",
        firstLine(Kit.failure(leaks, "fieldLeaks()")));
    assertTrue(
        firstLine(Kit.failure(leaks, "leaksInPerClassInstance()"))
            .startsWith("1 scope leaked: per-class (opened at "));
  }

  // ---------------------------------------------------------------------------------------------
  // Configuration
  // ---------------------------------------------------------------------------------------------

  @LeakCheck(lingerMillis = 0)
  static class OptsOut {
    @Test
    @LeakCheck(enabled = false)
    void optedOut() {
      hold(Scope.open("opted-out"));
    }

    @Test
    void checked() {
      hold(Scope.open("checked"));
    }

    @Nested
    @LeakCheck(enabled = false)
    class NestedOptedOut {
      @Test
      void nestedOptedOut() throws InterruptedException {
        hold(Scope.open("nested-opted-out"));
        leak(Thread.ofPlatform().name("nested-opted-out"));
      }

      @Test
      @LeakCheck(lingerMillis = 0)
      void optsBackIn() {
        hold(Scope.open("opted-back-in"));
      }
    }

    @Nested
    class NestedInherits {
      @Test
      void nestedChecked() {
        hold(Scope.open("nested"));
      }
    }
  }

  @Test
  void optOut_perMethodAndPerNestedClass_andNestedClassesInherit() {
    EngineExecutionResults results = Kit.run(OptsOut.class);
    Kit.assertCounts(results, 2, 3);
    assertEquals(List.of("optedOut()", "nestedOptedOut()"), Kit.successes(results));
    assertTrue(firstLine(Kit.failure(results, "checked()")).startsWith("1 scope leaked: checked"));
    assertTrue(
        firstLine(Kit.failure(results, "optsBackIn()")).startsWith("1 scope leaked: opted-back-in"));
    assertTrue(
        firstLine(Kit.failure(results, "nestedChecked()")).startsWith("1 scope leaked: nested"));
  }

  @LeakCheck
  abstract static class CheckedBase {}

  static class Subclass extends CheckedBase {
    @Test
    void subclassLeaks() {
      hold(Scope.open("subclass"));
    }
  }

  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.TYPE)
  @LeakCheck(lingerMillis = 0, ignoreThreads = "composed-.*")
  @interface ComposedCheck {}

  @ComposedCheck
  static class Composed {
    @Test
    void ignoredByComposedAnnotation() throws InterruptedException {
      leak(Thread.ofPlatform().name("composed-1"));
    }

    @Test
    void composedLeaks() throws InterruptedException {
      leak(Thread.ofPlatform().name("other-1"));
    }
  }

  @Test
  void annotationIsInheritedBySubclasses_andWorksComposed() {
    EngineExecutionResults results = Kit.run(Subclass.class, Composed.class);
    Kit.assertCounts(results, 1, 2);
    assertTrue(
        firstLine(Kit.failure(results, "subclassLeaks()")).startsWith("1 scope leaked: subclass"));
    assertEquals(
        "1 thread still running: other-1 (platform)",
        firstLine(Kit.failure(results, "composedLeaks()")));
  }

  @LeakCheck(lingerMillis = 0, ignoreThreads = "outer-.*", ignoreScopes = "fixture(/.*)?")
  static class Ignores {
    @Test
    void ignoredScope() {
      Scope fixture = hold(Scope.open("fixture"));
      fixture.child("sub").own(new AudioStream());
      fixture.own(new AudioStream());
    }

    @Nested
    @LeakCheck(lingerMillis = 0, ignoreThreads = "inner-.*")
    class Inner {
      @Test
      void patternsAddUpOverLevels() throws InterruptedException {
        leak(Thread.ofPlatform().name("outer-1"));
        leak(Thread.ofVirtual().name("inner-1"));
      }
    }
  }

  @Test
  void ignoredThreadsAndScopes_pass() {
    Kit.assertCounts(Kit.run(Ignores.class), 2, 0);
  }

  @LeakCheck(mode = LeakCheck.Mode.WARN)
  static class WarnsOnly {
    @Test
    void warns() {
      hold(Scope.open("warned"));
    }
  }

  @Test
  void warnMode_passes_andLogsTheReport() {
    Logger logger = Logger.getLogger("io.lifecycle.junit");
    List<LogRecord> records = new CopyOnWriteArrayList<>();
    Handler handler =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            records.add(record);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    logger.addHandler(handler);
    EngineExecutionResults results;
    try {
      results = Kit.run(WarnsOnly.class);
    } finally {
      logger.removeHandler(handler);
    }
    Kit.assertCounts(results, 1, 0);
    records.removeIf(r -> !r.getMessage().startsWith("leak check of "));
    assertEquals(1, records.size(), records::toString);
    assertEquals(Level.WARNING, records.get(0).getLevel());
    assertTrue(
        records
            .get(0)
            .getMessage()
            .startsWith(
                "leak check of io.lifecycle.junit.LeakCheckTest$WarnsOnly#warns [warns()]:\n"
                    + "1 scope leaked: warned (opened at LeakCheckTest$WarnsOnly.warns:"),
        records.get(0).getMessage());
    List<ReportEntry> entries =
        results
            .testEvents()
            .reportingEntryPublished()
            .map(e -> e.getPayload(ReportEntry.class).orElseThrow())
            .toList();
    assertEquals(1, entries.size());
    assertTrue(entries.get(0).getKeyValuePairs().get("lifecycle.leaks").startsWith("1 scope leaked"));
  }

  static class BadConfig {
    @Test
    @LeakCheck(timeoutMillis = -1)
    void negativeTimeout() {}

    @Test
    @LeakCheck(ignoreThreads = "worker-[")
    void malformedPattern() {}
  }

  @Test
  void invalidAttributes_failTheTest_namingElementAndAttribute() {
    EngineExecutionResults results = Kit.run(BadConfig.class);
    Kit.assertCounts(results, 0, 2);
    Throwable timeout = Kit.failure(results, "negativeTimeout()");
    assertInstanceOf(ExtensionConfigurationException.class, timeout);
    assertEquals(
        "@LeakCheck on method io.lifecycle.junit.LeakCheckTest$BadConfig#negativeTimeout():"
            + " timeoutMillis must not be negative: -1",
        timeout.getMessage());
    Throwable pattern = Kit.failure(results, "malformedPattern()");
    assertInstanceOf(ExtensionConfigurationException.class, pattern);
    assertTrue(
        pattern
            .getMessage()
            .startsWith(
                "@LeakCheck on method io.lifecycle.junit.LeakCheckTest$BadConfig#malformedPattern():"
                    + " ignoreThreads holds \"worker-[\", which is not a regular expression"),
        pattern.getMessage());
  }

  // ---------------------------------------------------------------------------------------------
  // Leak level, failing tests
  // ---------------------------------------------------------------------------------------------

  @LeakCheck
  static class RecordsLevel {
    static volatile LeakLevel seen;

    @Test
    void records() {
      seen = Lifecycle.leakLevel();
    }
  }

  @Test
  void leakLevel_raisedToAllDuringTheTest_andRestored() {
    LeakLevel original = Lifecycle.leakLevel(LeakLevel.SAMPLED);
    try {
      Kit.assertCounts(Kit.run(RecordsLevel.class), 1, 0);
      assertEquals(LeakLevel.ALL, RecordsLevel.seen);
      assertEquals(LeakLevel.SAMPLED, Lifecycle.leakLevel());

      Lifecycle.leakLevel(LeakLevel.PARANOID);
      Kit.assertCounts(Kit.run(RecordsLevel.class), 1, 0);
      assertEquals(LeakLevel.PARANOID, RecordsLevel.seen, "never lowered");
      assertEquals(LeakLevel.PARANOID, Lifecycle.leakLevel());
    } finally {
      Lifecycle.leakLevel(original);
    }
  }

  @LeakCheck
  static class FailsAndLeaks {
    @Test
    void failsAndLeaks() {
      hold(Scope.open("leaked"));
      fail("the test's own failure");
    }
  }

  @Test
  void testThatFailsAndLeaks_reportsItsFailure_withTheLeakSuppressed() {
    Throwable t = Kit.failure(Kit.run(FailsAndLeaks.class), "failsAndLeaks()");
    assertEquals("the test's own failure", t.getMessage());
    assertEquals(1, t.getSuppressed().length);
    assertTrue(t.getSuppressed()[0].getMessage().startsWith("1 scope leaked: leaked"));
  }

  // ---------------------------------------------------------------------------------------------
  // Every way a test can end ends its check
  // ---------------------------------------------------------------------------------------------

  @LeakCheck
  static class CannotBeConstructed {
    CannotBeConstructed() {
      throw new IllegalStateException("no instance");
    }

    @Test
    void neverRuns() {}
  }

  @LeakCheck
  static class EndsEarly {
    @Nested
    class BeforeEachAborts {
      @BeforeEach
      void abort() {
        Assumptions.assumeTrue(false, "not here");
      }

      @Test
      void aborted() {}
    }

    @Nested
    class BeforeEachFails {
      @BeforeEach
      void failSetUp() {
        throw new IllegalStateException("set-up failed");
      }

      @Test
      void failedInSetUp() {}
    }

    @Test
    @Disabled("to show that a disabled test does not start a check")
    void disabled() {}
  }

  /**
   * A check that began ends even when the test's own methods never ran: JUnit closes the store
   * value that holds it (the test instance could not be constructed, on JUnit 5.12+ where the
   * check begins before construction), or {@code afterEach} ends it. Either way the leak level
   * is restored, which happens only when the last check has ended.
   */
  @Test
  void checksThatEndEarly_restoreTheLeakLevel() {
    LeakLevel original = Lifecycle.leakLevel(LeakLevel.SAMPLED);
    try {
      EngineExecutionResults results = Kit.run(CannotBeConstructed.class, EndsEarly.class);
      assertEquals("no instance", Kit.failure(results, "neverRuns()").getMessage());
      assertEquals("set-up failed", Kit.failure(results, "failedInSetUp()").getMessage());
      assertEquals(1, results.testEvents().aborted().count());
      assertEquals(1, results.testEvents().skipped().count());
      assertEquals(LeakLevel.SAMPLED, Lifecycle.leakLevel());
    } finally {
      Lifecycle.leakLevel(original);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers
  // ---------------------------------------------------------------------------------------------

  static String firstLine(Throwable t) {
    return t.getMessage().lines().findFirst().orElse("");
  }

  /**
   * Asserts the message's lines: each expected line is literal, or a regular expression when it
   * starts with "~"; a last expected line "..." accepts any remaining lines.
   */
  static void assertLines(String message, String... expected) {
    List<String> lines = message.lines().toList();
    for (int i = 0; i < expected.length; i++) {
      String e = expected[i];
      if (i == expected.length - 1 && e.equals("...")) {
        return;
      }
      if (i >= lines.size()) {
        fail("message has only " + lines.size() + " lines:\n" + message);
      }
      boolean ok =
          e.startsWith("~") ? Pattern.matches(e.substring(1), lines.get(i)) : lines.get(i).equals(e);
      if (!ok) {
        fail("line " + (i + 1) + " is\n  " + lines.get(i) + "\nexpected\n  " + e + "\nin\n" + message);
      }
    }
    assertEquals(expected.length, lines.size(), message);
  }

  static void assertStackHas(String message, String frame) {
    assertTrue(message.contains("      at " + frame), () -> "no frame " + frame + " in\n" + message);
  }
}
