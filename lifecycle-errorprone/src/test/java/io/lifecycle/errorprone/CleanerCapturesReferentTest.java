package io.lifecycle.errorprone;

import com.google.errorprone.BugCheckerRefactoringTestHelper;
import com.google.errorprone.CompilationTestHelper;
import org.junit.jupiter.api.Test;

/** Tests for {@link CleanerCapturesReferent}. */
final class CleanerCapturesReferentTest {
  private final CompilationTestHelper helper =
      CompilationTestHelper.newInstance(CleanerCapturesReferent.class, getClass());

  /** A lambda that reads the referent, or uses this when the referent is this, is reported. */
  @Test
  void lambda_capturesReferent() {
    helper
        .addSourceLines(
            "Resource.java",
            "import java.lang.ref.Cleaner;",
            "class Resource {",
            "  private static final Cleaner CLEANER = Cleaner.create();",
            "  private long handle;",
            "  Resource() {",
            "    // BUG: Diagnostic contains: the lambda uses this",
            "    CLEANER.register(this, () -> release(handle));",
            "    // BUG: Diagnostic contains: the lambda uses this",
            "    CLEANER.register(this, () -> close());",
            "  }",
            "  static void watch(Object buffer) {",
            "    // BUG: Diagnostic contains: the lambda reads buffer",
            "    CLEANER.register(buffer, () -> System.identityHashCode(buffer));",
            "  }",
            "  static void release(long handle) {}",
            "  void close() {}",
            "}")
        .doTest();
  }

  /** Bound method references to the referent or to this are reported. */
  @Test
  void boundMethodReference_capturesReferent() {
    helper
        .addSourceLines(
            "Resource.java",
            "import java.lang.ref.Cleaner;",
            "class Resource implements Runnable {",
            "  private static final Cleaner CLEANER = Cleaner.create();",
            "  Resource() {",
            "    // BUG: Diagnostic contains: the method reference is bound to this",
            "    CLEANER.register(this, this::close);",
            "    // BUG: Diagnostic contains: the object is its own cleaning action",
            "    CLEANER.register(this, this);",
            "  }",
            "  static void watch(Resource other) {",
            "    // BUG: Diagnostic contains: the method reference is bound to other",
            "    CLEANER.register(other, other::close);",
            "  }",
            "  @Override public void run() {}",
            "  void close() {}",
            "}")
        .doTest();
  }

  /** Anonymous and inner classes that hold this, and constructors given the referent, are reported. */
  @Test
  void classInstances_captureReferent() {
    helper
        .addSourceLines(
            "Resource.java",
            "import java.lang.ref.Cleaner;",
            "class Resource {",
            "  private static final Cleaner CLEANER = Cleaner.create();",
            "  private long handle;",
            "  Resource() {",
            "    // BUG: Diagnostic contains: the anonymous class holds this",
            "    CLEANER.register(this, new Runnable() { public void run() { handle = 0; } });",
            "    // BUG: Diagnostic contains: inner class Uses, which holds this",
            "    CLEANER.register(this, new Uses());",
            "    // BUG: Diagnostic contains: the action is constructed with this",
            "    CLEANER.register(this, new State(this));",
            "    Runnable action = () -> handle++;",
            "    // BUG: Diagnostic contains: the lambda uses this",
            "    CLEANER.register(this, action);",
            "  }",
            "  class Uses implements Runnable { public void run() { handle = 0; } }",
            "  static class State implements Runnable {",
            "    State(Object owner) {}",
            "    public void run() {}",
            "  }",
            "}")
        .doTest();
  }

  /** A field of this is reachable from this: capturing this captures it. */
  @Test
  void fieldReferent_capturedThroughThis() {
    helper
        .addSourceLines(
            "Holder.java",
            "import java.lang.ref.Cleaner;",
            "class Holder {",
            "  private static final Cleaner CLEANER = Cleaner.create();",
            "  private final Object buffer = new Object();",
            "  private int count;",
            "  Holder() {",
            "    // BUG: Diagnostic contains: the lambda uses this",
            "    CLEANER.register(buffer, () -> count++);",
            "    // BUG: Diagnostic contains: the lambda reads buffer",
            "    CLEANER.register(buffer, () -> buffer.hashCode());",
            "  }",
            "}")
        .doTest();
  }

  /** The idioms the Cleaner documentation recommends are not reported. */
  @Test
  void staticState_notReported() {
    helper
        .addSourceLines(
            "Resource.java",
            "import java.lang.ref.Cleaner;",
            "class Resource implements AutoCloseable {",
            "  private static final Cleaner CLEANER = Cleaner.create();",
            "  private final Cleaner.Cleanable cleanable;",
            "  private final State state;",
            "  Resource(long handle) {",
            "    this.state = new State(handle);",
            "    this.cleanable = CLEANER.register(this, state);",
            "    CLEANER.register(this, new State(handle));",
            "    CLEANER.register(this, Resource::releaseAll);",
            "    CLEANER.register(this, releaser(handle));",
            "    CLEANER.register(this, () -> release(handle));",
            "    CLEANER.register(this, new Unused());",
            "    CLEANER.register(this, new Runnable() { public void run() { release(handle); } });",
            "  }",
            "  static void watch(Object buffer, long handle) {",
            "    CLEANER.register(buffer, () -> release(handle));",
            "  }",
            "  private static Runnable releaser(long handle) { return () -> release(handle); }",
            "  static void release(long handle) {}",
            "  static void releaseAll() {}",
            "  @Override public void close() { cleanable.clean(); }",
            "  /** Uses nothing of Resource: javac 18+ keeps no reference to the outer instance. */",
            "  class Unused implements Runnable { public void run() {} }",
            "  private static final class State implements Runnable {",
            "    private final long handle;",
            "    State(long handle) { this.handle = handle; }",
            "    @Override public void run() { release(handle); }",
            "  }",
            "}")
        .doTest();
  }

  /** Below source 18 javac keeps the outer instance of every inner class: reported. */
  @Test
  void unusedOuterBelowJava18_reported() {
    helper
        .setArgs("--release", "17")
        .addSourceLines(
            "Resource.java",
            "import java.lang.ref.Cleaner;",
            "class Resource {",
            "  private static final Cleaner CLEANER = Cleaner.create();",
            "  Resource() {",
            "    // BUG: Diagnostic contains: inner class Unused, which holds this",
            "    CLEANER.register(this, new Unused());",
            "    // BUG: Diagnostic contains: the anonymous class holds this",
            "    CLEANER.register(this, new Runnable() { public void run() {} });",
            "  }",
            "  class Unused implements Runnable { public void run() {} }",
            "}")
        .doTest();
  }

  /** The suggested fix makes an inner class that uses nothing of this static. */
  @Test
  void innerClass_fixMakesItStatic() {
    BugCheckerRefactoringTestHelper.newInstance(CleanerCapturesReferent.class, getClass())
        .setArgs("--release", "17")
        .addInputLines(
            "Resource.java",
            "import java.lang.ref.Cleaner;",
            "class Resource {",
            "  private static final Cleaner CLEANER = Cleaner.create();",
            "  Resource(long handle) {",
            "    CLEANER.register(this, new State(handle));",
            "  }",
            "  private final class State implements Runnable {",
            "    private final long handle;",
            "    State(long handle) { this.handle = handle; }",
            "    @Override public void run() {}",
            "  }",
            "}")
        .addOutputLines(
            "Resource.java",
            "import java.lang.ref.Cleaner;",
            "class Resource {",
            "  private static final Cleaner CLEANER = Cleaner.create();",
            "  Resource(long handle) {",
            "    CLEANER.register(this, new State(handle));",
            "  }",
            "  private static final class State implements Runnable {",
            "    private final long handle;",
            "    State(long handle) { this.handle = handle; }",
            "    @Override public void run() {}",
            "  }",
            "}")
        .doTest();
  }

  /** No fix is offered for an inner class that uses the enclosing instance. */
  @Test
  void innerClassUsingThis_noFix() {
    BugCheckerRefactoringTestHelper.newInstance(CleanerCapturesReferent.class, getClass())
        .addInputLines(
            "Resource.java",
            "import java.lang.ref.Cleaner;",
            "class Resource {",
            "  private static final Cleaner CLEANER = Cleaner.create();",
            "  private long handle;",
            "  Resource() {",
            "    CLEANER.register(this, new State());",
            "  }",
            "  private class State implements Runnable {",
            "    @Override public void run() { handle = 0; }",
            "  }",
            "}")
        .expectUnchanged()
        .doTest();
  }

  /** A local class whose body reads the referent holds it, as a captured local variable. */
  @Test
  void localClass_capturesReferent() {
    helper
        .addSourceLines(
            "Watcher.java",
            "import java.lang.ref.Cleaner;",
            "class Watcher {",
            "  static void watch(Cleaner c, Object obj) {",
            "    class A implements Runnable {",
            "      @Override public void run() { use(obj); }",
            "    }",
            "    // BUG: Diagnostic contains: the local class A, which reads obj",
            "    c.register(obj, new A());",
            "    // BUG: Diagnostic contains: makes a local class A that reads obj",
            "    c.register(obj, A::new);",
            "  }",
            "  static void safe(Cleaner c, Object obj, long handle) {",
            "    class Release implements Runnable {",
            "      @Override public void run() { free(handle); }",
            "    }",
            "    c.register(obj, new Release());",
            "  }",
            "  static void use(Object o) {}",
            "  static void free(long handle) {}",
            "}")
        .doTest();
  }

  /** An effectively final local alias of the referent (or of this) is the referent. */
  @Test
  void localAlias_capturesReferent() {
    helper
        .addSourceLines(
            "Watcher.java",
            "import java.lang.ref.Cleaner;",
            "class Watcher {",
            "  private static final Cleaner CLEANER = Cleaner.create();",
            "  Watcher() {",
            "    Watcher self = this;",
            "    // BUG: Diagnostic contains: the lambda reads self (an alias of this)",
            "    CLEANER.register(this, () -> use(self));",
            "  }",
            "  static void watch(Cleaner c, Object obj) {",
            "    Object o = obj;",
            "    Object again = o;",
            "    // BUG: Diagnostic contains: the lambda reads o (an alias of obj)",
            "    c.register(obj, () -> use(o));",
            "    // BUG: Diagnostic contains: the lambda reads again (an alias of obj)",
            "    c.register(obj, () -> use(again));",
            "    // BUG: Diagnostic contains: bound to o (an alias of obj)",
            "    c.register(obj, o::notify);",
            "    // BUG: Diagnostic contains: the anonymous class reads o (an alias of obj)",
            "    c.register(obj, new Runnable() { public void run() { use(o); } });",
            "  }",
            "  static void reassigned(Cleaner c, Object obj, Object other) {",
            "    Object o = obj;",
            "    o = other;",
            "    Object captured = o;",
            "    c.register(obj, () -> use(captured));",
            "  }",
            "  static void use(Object o) {}",
            "}")
        .doTest();
  }

  /** The message names the cause and the fix. */
  @Test
  void message_namesCauseAndFix() {
    helper
        .addSourceLines(
            "Resource.java",
            "import java.lang.ref.Cleaner;",
            "class Resource {",
            "  Resource(Cleaner cleaner) {",
            "    // BUG: Diagnostic contains: Cleaner action captures its referent: the method"
                + " reference is bound to this, so the Cleaner keeps this strongly reachable and"
                + " it is never cleaned; move the state to release into a static nested class (or"
                + " a lambda in a static method) that does not reference it",
            "    cleaner.register(this, this::close);",
            "  }",
            "  void close() {}",
            "}")
        .doTest();
  }
}
