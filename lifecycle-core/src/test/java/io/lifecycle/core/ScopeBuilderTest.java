package io.lifecycle.core;

import static io.lifecycle.core.Internals.unique;
import static io.lifecycle.core.ScopeTest.assertNpe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.ThreadFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Options of {@link Scope.Builder}: checked, set once, applied (issue 2 req 4, issue 3 req 1/4).
 */
class ScopeBuilderTest {

  /** Each setter may be called once; a second call throws IllegalStateException naming it. */
  @Test
  void setters_setTwice_throwIllegalState() {
    Scope.Builder b =
        Scope.builder("b")
            .closeTimeout(Duration.ofSeconds(1))
            .taskGrace(Duration.ofMillis(5))
            .leakLevel(LeakLevel.ALL)
            .threadFactory(Thread.ofVirtual().factory())
            .joinPolicy(JoinPolicy.COLLECT_ALL);
    assertIse("closeTimeout", () -> b.closeTimeout(Duration.ofSeconds(2)));
    assertIse("taskGrace", () -> b.taskGrace(Duration.ofSeconds(2)));
    assertIse("leakLevel", () -> b.leakLevel(LeakLevel.PARANOID));
    assertIse("threadFactory", () -> b.threadFactory(Thread.ofPlatform().factory()));
    assertIse("joinPolicy", () -> b.joinPolicy(JoinPolicy.FAIL_FAST));
  }

  /** A rejected value does not count as set: the setter can be called again with a good one. */
  @Test
  void setter_rejectedValue_leavesOptionUnset() {
    Scope.Builder b = Scope.builder("b");
    assertThrows(IllegalArgumentException.class, () -> b.closeTimeout(Duration.ZERO));
    b.closeTimeout(Duration.ofSeconds(1));
  }

  /** Bad durations are refused with IllegalArgumentException naming the argument and the value. */
  @Test
  void durations_bad_throwIllegalArgumentNamingValue() {
    assertIae(
        "timeout must be positive: PT0S", () -> Scope.builder("b").closeTimeout(Duration.ZERO));
    assertIae(
        "timeout must be positive: PT-1S",
        () -> Scope.builder("b").closeTimeout(Duration.ofSeconds(-1)));
    assertIae(
        "grace must not be negative: PT-0.001S",
        () -> Scope.builder("b").taskGrace(Duration.ofMillis(-1)));
    Scope.builder("b").taskGrace(Duration.ZERO); // zero grace is allowed
  }

  /** Null arguments are rejected, naming the argument. */
  @Test
  void nullArguments_throwNullPointerNamingArgument() {
    Scope.Builder b = Scope.builder("b");
    assertNpe("timeout", () -> b.closeTimeout(null));
    assertNpe("grace", () -> b.taskGrace(null));
    assertNpe("level", () -> b.leakLevel(null));
    assertNpe("factory", () -> b.threadFactory(null));
    assertNpe("policy", () -> b.joinPolicy(null));
    assertNpe("parent", () -> b.openIn(null));
  }

  /** open() makes a root, openIn(parent) a child; a builder can open several scopes. */
  @Test
  void open_andOpenIn_makeRootAndChild() {
    String name = unique("built");
    Scope.Builder b = Scope.builder(name);
    try (Scope root = b.open();
        Scope child = b.openIn(root)) {
      assertEquals(name, root.path());
      assertEquals(name + "/" + name, child.path());
      assertEquals(1, Internals.liveEntries(root));
      root.close();
      assertFalse(child.isOpen());
    }
  }

  /** The builder's leak level applies to the scope and to the children it opens with child(). */
  @Test
  void leakLevel_appliesToScopeAndChildren() {
    LeakLevel previous = Lifecycle.leakLevel(LeakLevel.SAMPLED);
    try (Scope scope = Scope.builder(unique("paranoid")).leakLevel(LeakLevel.PARANOID).open();
        Scope child = scope.child("child");
        Scope disabled = Scope.builder("off").leakLevel(LeakLevel.DISABLED).openIn(scope);
        Scope grandchild = disabled.child("grandchild")) {
      assertSame(LeakLevel.PARANOID, scope.node.level());
      assertSame(LeakLevel.PARANOID, child.node.level());
      assertTrue(child.node.trace != null, "ALL and PARANOID capture every site");
      assertSame(LeakLevel.DISABLED, disabled.node.level());
      assertSame(LeakLevel.DISABLED, grandchild.node.level());
      assertFalse(grandchild.node.tracked());
    } finally {
      Lifecycle.leakLevel(previous);
    }
  }

  /** Only the leak level carries to children: a child's close is not bounded by its parent's. */
  @Test
  void childConfig_inheritsOnlyLeakLevel() {
    ThreadFactory factory = Thread.ofPlatform().factory();
    try (Scope scope =
            Scope.builder(unique("configured"))
                .closeTimeout(Duration.ofSeconds(5))
                .threadFactory(factory)
                .joinPolicy(JoinPolicy.COLLECT_ALL)
                .leakLevel(LeakLevel.ALL)
                .open();
        Scope child = scope.child("child")) {
      assertTrue(scope.node.config.bounded());
      assertSame(factory, scope.node.config.threadFactory);
      assertSame(JoinPolicy.COLLECT_ALL, scope.node.config.joinPolicy);
      assertSame(LeakLevel.ALL, child.node.config.leakLevel);
      assertEquals(ScopeConfig.DEFAULT.closeTimeoutNanos, child.node.config.closeTimeoutNanos);
      assertEquals(null, child.node.config.threadFactory);
      assertSame(JoinPolicy.FAIL_FAST, child.node.config.joinPolicy);
    }
  }

  /** A builder with no option set shares the default configuration (no allocation per scope). */
  @Test
  void noOptions_usesDefaultConfig() {
    try (Scope scope = Scope.builder(unique("plain")).open()) {
      assertSame(ScopeConfig.DEFAULT, scope.node.config);
    }
  }

  private static void assertIse(String option, Executable call) {
    IllegalStateException e = assertThrows(IllegalStateException.class, call);
    assertTrue(e.getMessage().startsWith(option + " was already set"), e.getMessage());
  }

  static void assertIae(String message, Executable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertEquals(message, e.getMessage());
  }
}
