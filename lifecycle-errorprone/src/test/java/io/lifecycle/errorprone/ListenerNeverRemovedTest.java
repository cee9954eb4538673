package io.lifecycle.errorprone;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.errorprone.CompilationTestHelper;
import com.google.errorprone.ErrorProneFlags;
import java.util.Map;
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
            "    signal.addStateListener(scope.own(() -> {}, l -> {}));",
            "    Signal.Listener listener = () -> {};",
            "    registry.add(scope, listener);",
            "    signal.addStateListener(listener);",
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
            "  private Signal signal() { return button; }",
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
            "  private Signal make(int n) {",
            "    Signal s = null;",
            "    s = new SimpleSignal();",
            "    return s;",
            "  }",
            "  void connect() {",
            "    configure(make(2));",
            "    Holder holder = new Holder();",
            "    holder.signal.addStateListener(() -> {});",
            "  }",
            "  private void configure(Signal fresh) { fresh.addStateListener(() -> {}); }",
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

  /**
   * A getter or field of an object this code made is owned only if that object made the source:
   * a Call built around a shared room hands the shared room back (the agent scenario).
   */
  @Test
  void sharedSourceThroughOwnedObject_reported() {
    helper
        .addSourceLines(
            "Job.java",
            "final class Call {",
            "  final Signal room;",
            "  final Signal own = new SimpleSignal();",
            "  Call(Signal room) { this.room = room; }",
            "  Signal room() { return room; }",
            "  Signal own() { return own; }",
            "  Signal fresh() { return new SimpleSignal(); }",
            "}",
            "class Job {",
            "  void run(Signal sharedRoom) {",
            "    // BUG: Diagnostic contains: ListenerNeverRemoved",
            "    new Call(sharedRoom).room().addStateListener(() -> {});",
            "    // BUG: Diagnostic contains: ListenerNeverRemoved",
            "    new Call(sharedRoom).room.addStateListener(() -> {});",
            "    Call call = new Call(sharedRoom);",
            "    // BUG: Diagnostic contains: ListenerNeverRemoved",
            "    call.room().addStateListener(() -> {});",
            "    call.own().addStateListener(() -> {});",
            "    call.own.addStateListener(() -> {});",
            "    call.fresh().addStateListener(() -> {});",
            "  }",
            "}")
        .doTest();
  }

  /**
   * When the owned object's class cannot be seen, its component is owned only if nothing the
   * object was given could be that component.
   */
  @Test
  void componentOfUnseenClass_ownedUnlessGivenOne() {
    helper
        .addSourceLines(
            "Watcher.java",
            "final class Watcher {",
            "  private final Signal signal = new SimpleSignal();",
            "  Watcher(String path) {}",
            "  Signal listenable() { return signal; }",
            "}")
        .addSourceLines(
            "Wrapper.java",
            "final class Wrapper {",
            "  private final Signal signal;",
            "  Wrapper(Signal signal) { this.signal = signal; }",
            "  Signal listenable() { return signal; }",
            "}")
        .addSourceLines(
            "Cache.java",
            "class Cache {",
            "  private final Watcher watcher = new Watcher(\"/a\");",
            "  void start(Signal shared) {",
            "    watcher.listenable().addStateListener(() -> {});",
            "    // BUG: Diagnostic contains: ListenerNeverRemoved",
            "    new Wrapper(shared).listenable().addStateListener(() -> {});",
            "    Wrapper later = new Wrapper(null);",
            "    later.toString();",
            "    // BUG: Diagnostic contains: ListenerNeverRemoved",
            "    new Wrapper(new SimpleSignal()).listenable().addStateListener(() -> {});",
            "  }",
            "}")
        .doTest();
  }

  /**
   * A factory method that a subclass can override may return a shared source: it is unknown, as
   * in UnboundedCache, and the listener added to its result is reported.
   */
  @Test
  void overridableFactory_reported() {
    helper
        .addSourceLines(
            "Client.java",
            "class Client {",
            "  protected Signal make() { return new SimpleSignal(); }",
            "  private Signal makePrivate() { return new SimpleSignal(); }",
            "  final Signal makeFinal() { return new SimpleSignal(); }",
            "  void connect() {",
            "    // BUG: Diagnostic contains: ListenerNeverRemoved",
            "    make().addStateListener(() -> {});",
            "    makePrivate().addStateListener(() -> {});",
            "    makeFinal().addStateListener(() -> {});",
            "  }",
            "}")
        .doTest();
  }

  /** A listener owned through any of core's three own overloads, or Listeners.add, is owned. */
  @Test
  void ownedThroughEveryOwnOverload_notReported() {
    helper
        .addSourceLines(
            "Session.java",
            "import io.lifecycle.core.Listeners;",
            "import io.lifecycle.core.Scope;",
            "class Session {",
            "  interface Closing extends Signal.Listener, AutoCloseable {",
            "    @Override void close();",
            "  }",
            "  Session(Scope scope, Signal signal, Listeners<Signal.Listener> registry, Closing c) {",
            "    signal.addStateListener(scope.own(c));",
            "    Signal.Listener plain = () -> {};",
            "    scope.own(plain);",
            "    signal.addStateListener(plain);",
            "    Signal.Listener released = () -> {};",
            "    signal.addStateListener(released);",
            "    scope.own(released, l -> {});",
            "    Signal.Listener registered = () -> {};",
            "    registry.add(scope, registered);",
            "    signal.addStateListener(registered);",
            "    Signal.Listener unowned = () -> {};",
            "    // BUG: Diagnostic contains: ListenerNeverRemoved",
            "    signal.addStateListener(unowned);",
            "  }",
            "}")
        .doTest();
  }

  /** -XepOpt:ListenerNeverRemoved:Pairs checks add/remove pairs with other names. */
  @Test
  void pairsFlag_addsPairs() {
    CompilationTestHelper.newInstance(ListenerNeverRemoved.class, getClass())
        .setArgs("-XepOpt:ListenerNeverRemoved:Pairs=subscribe:unsubscribe,on:off")
        .addSourceLines(
            "Bus.java",
            "interface Bus {",
            "  void subscribe(Runnable handler);",
            "  void unsubscribe(Runnable handler);",
            "  void on(Runnable handler);",
            "  void off(Runnable handler);",
            "  void watch(Runnable handler);",
            "}")
        .addSourceLines(
            "Session.java",
            "class Session {",
            "  private final Runnable handler = () -> {};",
            "  Session(Bus bus) {",
            "    // BUG: Diagnostic contains: no unsubscribe on a Bus",
            "    bus.subscribe(handler);",
            "    bus.on(handler);",
            "    bus.watch(handler);",
            "  }",
            "  void close(Bus bus) { bus.off(handler); }",
            "}")
        .doTest();
  }

  /** A malformed Pairs entry fails with a message naming it. */
  @Test
  void pairsFlag_malformed_rejected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new ListenerNeverRemoved(
                    ErrorProneFlags.fromMap(Map.of("ListenerNeverRemoved:Pairs", "subscribe"))));
    assertTrue(e.getMessage().contains("subscribe"), e.getMessage());
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
