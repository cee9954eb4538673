package io.lifecycle.errorprone;

import com.google.errorprone.CompilationTestHelper;
import org.junit.jupiter.api.Test;

/** Tests for {@link ListenerNeverRemoved}. */
final class ListenerNeverRemovedTest {
  private final CompilationTestHelper helper =
      Stubs.addCore(CompilationTestHelper.newInstance(ListenerNeverRemoved.class, getClass()))
          .addSourceLines(
              "Signal.java",
              "interface Signal {",
              "  interface Listener { void fired(); }",
              "  void addListener(Listener l);",
              "  void removeListener(Listener l);",
              "  void addStateListener(Listener l);",
              "  void removeStateListener(Listener l);",
              "  void addOtherListener(Listener l);",
              "  AutoCloseable addHandleListener(Listener l);",
              "  void removeHandleListener(Listener l);",
              "}")
          .addSourceLines(
              "SimpleSignal.java",
              "class SimpleSignal implements Signal {",
              "  public void addListener(Listener l) {}",
              "  public void removeListener(Listener l) {}",
              "  public void addStateListener(Listener l) {}",
              "  public void removeStateListener(Listener l) {}",
              "  public void addOtherListener(Listener l) {}",
              "  public AutoCloseable addHandleListener(Listener l) { return () -> {}; }",
              "  public void removeHandleListener(Listener l) {}",
              "}");

  /** Adding to a source the class never removes from is reported. */
  @Test
  void addWithoutRemove_reported() {
    helper
        .addSourceLines(
            "Session.java",
            "class Session {",
            "  Session(Signal signal) {",
            "    // BUG: Diagnostic contains: no removeListener on a Signal",
            "    signal.addListener(() -> {});",
            "    // BUG: Diagnostic contains: ListenerNeverRemoved",
            "    signal.addStateListener(this::onState);",
            "  }",
            "  void onState() {}",
            "}")
        .doTest();
  }

  /** Only the remove method matching the add method counts. */
  @Test
  void removalOfAnotherKind_stillReported() {
    helper
        .addSourceLines(
            "Session.java",
            "class Session {",
            "  private final Signal signal;",
            "  private final Signal.Listener listener = () -> {};",
            "  Session(Signal signal) {",
            "    this.signal = signal;",
            "    // BUG: Diagnostic contains: removeStateListener",
            "    signal.addStateListener(listener);",
            "  }",
            "  void close() { signal.removeListener(listener); }",
            "}")
        .doTest();
  }

  /** Removal in another method, on a receiver of a related type, is enough. */
  @Test
  void removeInAnotherMethod_notReported() {
    helper
        .addSourceLines(
            "Session.java",
            "class Session implements AutoCloseable {",
            "  private final SimpleSignal signal;",
            "  private final Signal.Listener listener = () -> {};",
            "  Session(SimpleSignal signal) {",
            "    this.signal = signal;",
            "    signal.addListener(listener);",
            "  }",
            "  void forget(Signal any) { any.removeListener(listener); }",
            "  @Override public void close() {}",
            "}")
        .doTest();
  }

  /** Removal through a lifecycle scope (onClose, own with a method reference) is enough. */
  @Test
  void removeThroughScope_notReported() {
    helper
        .addSourceLines(
            "Session.java",
            "import io.lifecycle.core.Scope;",
            "class Session {",
            "  Session(Scope scope, Signal signal) {",
            "    Signal.Listener listener = () -> {};",
            "    signal.addListener(listener);",
            "    scope.onClose(() -> signal.removeListener(listener));",
            "    Signal.Listener state = () -> {};",
            "    signal.addStateListener(state);",
            "    scope.own(state, signal::removeStateListener);",
            "  }",
            "}")
        .doTest();
  }

  /** A listener owned by a scope (own, Listeners.add) is not reported. */
  @Test
  void listenerOwnedByScope_notReported() {
    helper
        .addSourceLines(
            "Session.java",
            "import io.lifecycle.core.Listeners;",
            "import io.lifecycle.core.Scope;",
            "class Session {",
            "  Session(Scope scope, Signal signal, Listeners<Signal.Listener> registry) {",
            "    signal.addOtherListener(scope.own(() -> {}, l -> {}));",
            "    Signal.Listener listener = () -> {};",
            "    registry.add(scope, listener);",
            "    signal.addOtherListener(listener);",
            "  }",
            "}")
        .doTest();
  }

  /** An API with no remove method (Guava's ListenableFuture) is not reported. */
  @Test
  void apiWithoutRemove_notReported() {
    helper
        .addSourceLines(
            "Test.java",
            "import com.google.common.util.concurrent.*;",
            "import java.util.concurrent.Executor;",
            "class Test {",
            "  void f(ListenableFuture<String> future, Service service, Executor e) {",
            "    future.addListener(() -> {}, e);",
            "    service.addListener(new Service.Listener() {}, e);",
            "  }",
            "}")
        .doTest();
  }

  /** A one-shot future whose type does declare a remove method is not reported. */
  @Test
  void futureWithRemove_notReported() {
    helper
        .addSourceLines(
            "NettyLikeFuture.java",
            "interface NettyLikeFuture<V> extends java.util.concurrent.Future<V> {",
            "  NettyLikeFuture<V> addListener(Runnable l);",
            "  NettyLikeFuture<V> removeListener(Runnable l);",
            "}")
        .addSourceLines(
            "Test.java",
            "class Test {",
            "  void f(NettyLikeFuture<String> future) {",
            "    future.addListener(() -> {});",
            "  }",
            "}")
        .doTest();
  }

  /** A source this code created, or this object itself, dies with its owner. */
  @Test
  void sourceCreatedHere_notReported() {
    helper
        .addSourceLines(
            "Panel.java",
            "class Panel extends SimpleSignal {",
            "  private final SimpleSignal button = new SimpleSignal();",
            "  Panel() {",
            "    button.addListener(() -> {});",
            "    SimpleSignal local = new SimpleSignal();",
            "    local.addListener(() -> {});",
            "    new SimpleSignal().addListener(() -> {});",
            "    addListener(() -> {});",
            "    this.addStateListener(() -> {});",
            "    signal().addListener(() -> {});",
            "    manager.signal().addStateListener(() -> {});",
            "  }",
            "  private final Manager manager = new Manager();",
            "  Signal signal() { return button; }",
            "  static final class Manager { Signal signal() { return new SimpleSignal(); } }",
            "  void external(Signal other) {",
            "    // BUG: Diagnostic contains: ListenerNeverRemoved",
            "    other.addStateListener(() -> {});",
            "  }",
            "}")
        .doTest();
  }

  /** A source that this class closes, or makes through its own factory method, is owned. */
  @Test
  void sourceClosedOrMadeHere_notReported() {
    helper
        .addSourceLines(
            "Client.java",
            "class Client implements AutoCloseable {",
            "  interface Source extends Signal, AutoCloseable {}",
            "  private final Source source;",
            "  private Source other;",
            "  Client(Source s, Source o) {",
            "    this.source = s;",
            "    this.other = o;",
            "    source.addListener(() -> {});",
            "    other.addStateListener(() -> {});",
            "    Signal made = make(1);",
            "    made.addStateListener(() -> {});",
            "  }",
            "  protected Signal make(int n) {",
            "    Signal s = null;",
            "    s = new SimpleSignal();",
            "    return s;",
            "  }",
            "  void connect() {",
            "    configure(make(2));",
            "    Holder holder = new Holder();",
            "    holder.signal.addStateListener(() -> {});",
            "  }",
            "  protected void configure(Signal fresh) { fresh.addStateListener(() -> {}); }",
            "  public void exposed(Signal any) {",
            "    // BUG: Diagnostic contains: ListenerNeverRemoved",
            "    any.addStateListener(() -> {});",
            "  }",
            "  static final class Holder { Signal signal = new SimpleSignal(); }",
            "  @Override public void close() throws Exception {",
            "    source.close();",
            "    Source copy = other;",
            "    copy.close();",
            "  }",
            "}")
        .doTest();
  }

  /** A kept registration handle is the removal; a discarded one is not. */
  @Test
  void keptHandle_notReported() {
    helper
        .addSourceLines(
            "Session.java",
            "class Session {",
            "  private final AutoCloseable registration;",
            "  Session(Signal signal) {",
            "    registration = signal.addHandleListener(() -> {});",
            "    // BUG: Diagnostic contains: ListenerNeverRemoved",
            "    signal.addHandleListener(() -> {});",
            "  }",
            "}")
        .doTest();
  }

  /** try-with-resources on a handle returned by the add method is a removal. */
  @Test
  void tryWithResources_notReported() {
    helper
        .addSourceLines(
            "Session.java",
            "class Session {",
            "  void run(Signal signal) throws Exception {",
            "    try (AutoCloseable registration = signal.addHandleListener(() -> {})) {",
            "      Thread.sleep(1);",
            "    }",
            "  }",
            "}")
        .doTest();
  }

  /** The message names the cause and the fix. */
  @Test
  void message_namesCauseAndFix() {
    helper
        .addSourceLines(
            "Session.java",
            "class Session {",
            "  Session(Signal signal) {",
            "    // BUG: Diagnostic contains: Listener leak: addStateListener registers a listener"
                + " that this class never removes (no removeStateListener on a Signal), so the"
                + " source keeps the listener and everything it captures alive; remove it when"
                + " its owner is done, e.g. scope.own(listener, source::removeStateListener)",
            "    signal.addStateListener(() -> {});",
            "  }",
            "}")
        .doTest();
  }
}
