package io.lifecycle.errorprone;

import com.google.errorprone.CompilationTestHelper;

/**
 * Stand-ins for lifecycle-core's types, so that the checks' tests do not depend on core (the
 * reactor would have a cycle: core's build runs these checks).
 *
 * <p>Each stub declares the same public signatures as core's type, annotations included: {@code
 * Scope} is a final class with the three {@code own} overloads, {@code onClose}, both {@code fork}
 * forms and both {@code join} forms; {@code Releaser}, {@code Cleanup}, {@code Action}, {@code
 * Registration} and {@code Task} are top-level types; {@code Listeners.add} takes the owner first.
 * Core's sealed interfaces ({@code Registration}, {@code Task}) are plain interfaces here, since
 * their permitted implementations are core's own. Bodies do nothing: the checks read only
 * signatures. Keep these in step with {@code lifecycle-core/src/main/java/io/lifecycle/core}.
 */
final class Stubs {
  private Stubs() {}

  /** Adds stubs of core's {@code Scope}, {@code Listeners} and the types they use to {@code helper}. */
  static CompilationTestHelper addCore(CompilationTestHelper helper) {
    return helper
        .addSourceLines(
            "io/lifecycle/core/Scope.java",
            "package io.lifecycle.core;",
            "import com.google.errorprone.annotations.CanIgnoreReturnValue;",
            "import com.google.errorprone.annotations.MustBeClosed;",
            "import java.time.Duration;",
            "import java.util.concurrent.Callable;",
            "import java.util.concurrent.TimeoutException;",
            "public final class Scope implements AutoCloseable {",
            "  private Scope() {}",
            "  @MustBeClosed public static Scope open(String name) { return new Scope(); }",
            "  @MustBeClosed public Scope child(String name) { return new Scope(); }",
            "  @CanIgnoreReturnValue public <T extends AutoCloseable> T own(T resource) {",
            "    return resource;",
            "  }",
            "  @CanIgnoreReturnValue public <T> T own(T resource) { return resource; }",
            "  @CanIgnoreReturnValue",
            "  public <T> T own(T resource, Releaser<? super T> releaser) { return resource; }",
            "  @CanIgnoreReturnValue public Registration onClose(Cleanup action) { return null; }",
            "  @CanIgnoreReturnValue public <T> Task<T> fork(Callable<? extends T> body) {",
            "    return null;",
            "  }",
            "  @CanIgnoreReturnValue public Task<Void> fork(Action body) { return null; }",
            "  public void join() throws InterruptedException {}",
            "  public void join(Duration timeout) throws InterruptedException, TimeoutException {}",
            "  public boolean isOpen() { return true; }",
            "  public String name() { return \"\"; }",
            "  public String path() { return \"\"; }",
            "  @Override public void close() {}",
            "}")
        .addSourceLines(
            "io/lifecycle/core/Releaser.java",
            "package io.lifecycle.core;",
            "@FunctionalInterface",
            "public interface Releaser<T> { void release(T resource) throws Exception; }")
        .addSourceLines(
            "io/lifecycle/core/Cleanup.java",
            "package io.lifecycle.core;",
            "@FunctionalInterface",
            "public interface Cleanup { void run() throws Exception; }")
        .addSourceLines(
            "io/lifecycle/core/Action.java",
            "package io.lifecycle.core;",
            "@FunctionalInterface",
            "public interface Action { void run() throws Exception; }")
        .addSourceLines(
            "io/lifecycle/core/Registration.java",
            "package io.lifecycle.core;",
            "public interface Registration extends AutoCloseable {",
            "  @Override void close();",
            "  boolean cancel();",
            "}")
        .addSourceLines(
            "io/lifecycle/core/Task.java",
            "package io.lifecycle.core;",
            "public interface Task<T> {",
            "  enum State { RUNNING, SUCCEEDED, FAILED, CANCELLED }",
            "  State state();",
            "  T get();",
            "  Throwable exception();",
            "  boolean cancel();",
            "}")
        .addSourceLines(
            "io/lifecycle/core/Listeners.java",
            "package io.lifecycle.core;",
            "import com.google.errorprone.annotations.CanIgnoreReturnValue;",
            "import java.util.function.Consumer;",
            "public final class Listeners<L> {",
            "  private Listeners() {}",
            "  public static <L> Listeners<L> create(String name) { return new Listeners<>(); }",
            "  @CanIgnoreReturnValue public Registration add(Scope owner, L listener) {",
            "    return null;",
            "  }",
            "  public void forEach(Consumer<? super L> action) {}",
            "  public int size() { return 0; }",
            "  public String name() { return \"\"; }",
            "}");
  }
}
