package io.lifecycle.errorprone;

import com.google.errorprone.CompilationTestHelper;

/** Small stand-ins for lifecycle-core's types, so that the checks' tests do not depend on core. */
final class Stubs {
  private Stubs() {}

  /** Adds {@code io.lifecycle.core.Scope} and {@code Listeners} stubs to {@code helper}. */
  static CompilationTestHelper addCore(CompilationTestHelper helper) {
    return helper
        .addSourceLines(
            "io/lifecycle/core/Scope.java",
            "package io.lifecycle.core;",
            "import java.time.Duration;",
            "import java.util.concurrent.TimeoutException;",
            "public interface Scope extends AutoCloseable {",
            "  interface Releaser<T> { void release(T t) throws Exception; }",
            "  interface Cleanup { void run() throws Exception; }",
            "  interface Registration extends AutoCloseable { @Override void close(); }",
            "  <T extends AutoCloseable> T own(T resource);",
            "  <T> T own(T resource, Releaser<? super T> releaser);",
            "  Registration onClose(Cleanup action);",
            "  void join() throws InterruptedException;",
            "  void join(Duration timeout) throws InterruptedException, TimeoutException;",
            "  @Override void close();",
            "}")
        .addSourceLines(
            "io/lifecycle/core/Listeners.java",
            "package io.lifecycle.core;",
            "public final class Listeners<L> {",
            "  public Scope.Registration add(Scope owner, L listener) { return () -> {}; }",
            "}");
  }
}
