package io.lifecycle.core;

import static io.lifecycle.core.Internals.liveEntries;
import static io.lifecycle.core.Internals.unique;
import static io.lifecycle.core.ScopeTest.assertNpe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.testing.NullPointerTester;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/** {@link Listeners}: owned listeners, safe firing, growth warning (issue 2 req 8). */
@SuppressWarnings("MustBeClosedChecker") // scopes are closed explicitly to test close itself
class ListenersTest {

  /** A listener that records what it was called with. */
  record Recording(String name, List<String> calls) implements Consumer<String> {
    @Override
    public void accept(String event) {
      calls.add(name + ":" + event);
    }
  }

  /** forEach calls every listener, in registration order, on the calling thread. */
  @Test
  void forEach_callsListenersInRegistrationOrder() {
    Listeners<Consumer<String>> listeners = Listeners.create(unique("order"));
    List<String> calls = new ArrayList<>();
    try (Scope owner = Scope.open(unique("owner"))) {
      listeners.add(owner, new Recording("a", calls));
      listeners.add(owner, new Recording("b", calls));
      listeners.add(owner, new Recording("c", calls));
      assertEquals(3, listeners.size());
      listeners.forEach(l -> l.accept("e"));
      assertEquals(List.of("a:e", "b:e", "c:e"), calls);
    }
  }

  /** Closing the registration removes the listener from the registry and from its owner. */
  @Test
  void registrationClose_removesListener() {
    Listeners<Consumer<String>> listeners = Listeners.create(unique("close"));
    List<String> calls = new ArrayList<>();
    try (Scope owner = Scope.open(unique("owner"))) {
      Registration a = listeners.add(owner, new Recording("a", calls));
      listeners.add(owner, new Recording("b", calls));
      assertEquals(2, liveEntries(owner));
      a.close();
      a.close();
      assertEquals(1, listeners.size());
      assertEquals(1, liveEntries(owner));
      listeners.forEach(l -> l.accept("e"));
      assertEquals(List.of("b:e"), calls);
    }
  }

  /** cancel() removes the listener and returns true only the first time. */
  @Test
  void registrationCancel_removesListenerOnce() {
    Listeners<Runnable> listeners = Listeners.create(unique("cancel"));
    try (Scope owner = Scope.open(unique("owner"))) {
      Registration r = listeners.add(owner, () -> {});
      assertTrue(r.cancel());
      assertFalse(r.cancel());
      assertEquals(0, listeners.size());
      assertEquals(0, liveEntries(owner));
    }
  }

  /** Closing the owner removes its listeners; others stay. */
  @Test
  void ownerClose_removesItsListeners() {
    Listeners<Consumer<String>> listeners = Listeners.create(unique("owner-close"));
    List<String> calls = new ArrayList<>();
    try (Scope app = Scope.open(unique("app"))) {
      listeners.add(app, new Recording("app", calls));
      Scope job = app.child("job");
      Registration r = listeners.add(job, new Recording("job", calls));
      listeners.add(job, new Recording("job2", calls));
      assertEquals(3, listeners.size());
      job.close();
      assertEquals(1, listeners.size());
      assertFalse(r.cancel(), "already removed by the owner");
      listeners.forEach(l -> l.accept("e"));
      assertEquals(List.of("app:e"), calls);
    }
  }

  /** Adding to a closed owner throws ScopeClosedException and adds nothing. */
  @Test
  void add_closedOwner_throwsAndAddsNothing() {
    Listeners<Runnable> listeners = Listeners.create(unique("closed-owner"));
    Scope owner = Scope.open(unique("owner"));
    owner.close();
    long before = Lifecycle.snapshot().resources().getOrDefault("ListenersTest (lambda)", 0L);
    assertThrows(ScopeClosedException.class, () -> listeners.add(owner, () -> {}));
    assertEquals(0, listeners.size());
    assertEquals(
        before, Lifecycle.snapshot().resources().getOrDefault("ListenersTest (lambda)", 0L));
  }

  /** The same listener added twice is called twice, and each registration removes one. */
  @Test
  void add_sameListenerTwice_calledTwice() {
    Listeners<Consumer<String>> listeners = Listeners.create(unique("twice"));
    List<String> calls = new ArrayList<>();
    Recording l = new Recording("l", calls);
    try (Scope owner = Scope.open(unique("owner"))) {
      Registration first = listeners.add(owner, l);
      listeners.add(owner, l);
      listeners.forEach(x -> x.accept("1"));
      first.close();
      listeners.forEach(x -> x.accept("2"));
      assertEquals(List.of("l:1", "l:1", "l:2"), calls);
    }
  }

  /**
   * A listener that throws does not stop the others; its failure is logged at WARNING once per
   * registration however often it throws.
   */
  @Test
  void forEach_listenerThrows_othersCalledFailureLoggedOnce() {
    String name = unique("throwing");
    Listeners<Consumer<String>> listeners = Listeners.create(name);
    List<String> calls = new ArrayList<>();
    try (LogCapture log = LogCapture.start();
        Scope owner = Scope.open(unique("owner"))) {
      listeners.add(owner, new Recording("a", calls));
      listeners.add(
          owner,
          e -> {
            throw new IllegalStateException("listener bug");
          });
      listeners.add(owner, new Recording("c", calls));
      listeners.forEach(l -> l.accept("1"));
      listeners.forEach(l -> l.accept("2"));
      assertEquals(List.of("a:1", "c:1", "a:2", "c:2"), calls);
      List<String> logged = log.messages(Level.WARNING, "of " + name + " (owned by");
      assertEquals(1, logged.size(), logged::toString);
      assertTrue(logged.get(0).contains("ListenersTest (lambda)"), logged.get(0));
      assertTrue(logged.get(0).contains("further failures of this registration are not logged"));
    }
  }

  /** An Error thrown by a listener is rethrown after the other listeners were called. */
  @Test
  void forEach_listenerThrowsError_rethrownAfterOthers() {
    Listeners<Consumer<String>> listeners = Listeners.create(unique("error"));
    List<String> calls = new ArrayList<>();
    AssertionError error = new AssertionError("fatal");
    try (Scope owner = Scope.open(unique("owner"))) {
      listeners.add(
          owner,
          e -> {
            throw error;
          });
      listeners.add(owner, new Recording("b", calls));
      AssertionError thrown =
          assertThrows(AssertionError.class, () -> listeners.forEach(l -> l.accept("e")));
      assertSame(error, thrown);
      assertEquals(List.of("b:e"), calls);
    }
  }

  /**
   * A listener removed during a forEach, before the forEach reaches it, is not called; one added
   * during it may be; a listener removing itself does not disturb the iteration.
   */
  @Test
  void forEach_removalDuringIteration_seenConsistently() {
    Listeners<Consumer<String>> listeners = Listeners.create(unique("during"));
    List<String> calls = new ArrayList<>();
    try (Scope owner = Scope.open(unique("owner"))) {
      Registration[] later = new Registration[1];
      Registration[] self = new Registration[1];
      self[0] =
          listeners.add(
              owner,
              e -> {
                calls.add("self:" + e);
                self[0].close();
                later[0].close();
              });
      listeners.add(owner, new Recording("b", calls));
      later[0] = listeners.add(owner, new Recording("later", calls));
      listeners.add(owner, new Recording("d", calls));
      listeners.forEach(l -> l.accept("1"));
      listeners.forEach(l -> l.accept("2"));
      assertEquals(List.of("self:1", "b:1", "d:1", "b:2", "d:2"), calls);
      assertEquals(2, listeners.size());
    }
  }

  /**
   * Past the threshold a WARNING is logged once, naming the registry and the top registration
   * sites; further additions do not warn again.
   */
  @Test
  void add_pastThreshold_warnsOnceNamingTopSites() {
    String name = unique("growing");
    Listeners<Runnable> listeners = Listeners.builder(name).warnThreshold(3).build();
    try (LogCapture log = LogCapture.start();
        Scope owner = Scope.builder(unique("owner")).leakLevel(LeakLevel.ALL).open()) {
      for (int i = 0; i < 3; i++) {
        addFromHere(listeners, owner);
      }
      assertTrue(log.messages(Level.WARNING, "listener registry " + name).isEmpty());
      addFromHere(listeners, owner);
      listeners.add(owner, () -> {});
      for (int i = 0; i < 10; i++) {
        addFromHere(listeners, owner);
      }
      List<String> warnings = log.messages(Level.WARNING, "listener registry " + name);
      assertEquals(1, warnings.size(), warnings::toString);
      String w = warnings.get(0);
      assertTrue(w.contains("passed 3 live listeners (4)"), w);
      assertTrue(w.contains("Top registration sites (4 sampled):"), w);
      assertTrue(w.contains("\n  ListenersTest.addFromHere:"), w);
      assertTrue(w.contains(" x4"), w);
    }
  }

  /** Without sampled sites, the warning says so and how to capture them. */
  @Test
  void add_pastThresholdWithoutSites_warningSaysNotSampled() {
    String name = unique("unsampled");
    Listeners<Runnable> listeners = Listeners.builder(name).warnThreshold(1).build();
    try (LogCapture log = LogCapture.start();
        Scope owner = Scope.builder(unique("owner")).leakLevel(LeakLevel.DISABLED).open()) {
      listeners.add(owner, () -> {});
      listeners.add(owner, () -> {});
      String w = log.messages(Level.WARNING, "listener registry " + name).get(0);
      assertTrue(w.contains("No registration site was sampled"), w);
    }
  }

  /** Listeners are counted by type in snapshots while registered. */
  @Test
  void add_countedInSnapshotUntilRemoved() {
    Listeners<Recording> listeners = Listeners.create(unique("counted"));
    long before = Lifecycle.snapshot().resources().getOrDefault("ListenersTest$Recording", 0L);
    try (Scope owner = Scope.open(unique("owner"))) {
      Registration r = listeners.add(owner, new Recording("a", new ArrayList<>()));
      listeners.add(owner, new Recording("b", new ArrayList<>()));
      assertEquals(before + 2, Lifecycle.snapshot().resources().get("ListenersTest$Recording"));
      r.close();
      assertEquals(before + 1, Lifecycle.snapshot().resources().get("ListenersTest$Recording"));
    }
    assertEquals(
        before, Lifecycle.snapshot().resources().getOrDefault("ListenersTest$Recording", 0L));
  }

  /** name(), size() and toString(). */
  @Test
  void toString_showsNameAndSize() {
    String name = unique("shown");
    Listeners<Runnable> listeners = Listeners.create(name);
    try (Scope owner = Scope.open(unique("owner"))) {
      Registration r = listeners.add(owner, () -> {});
      assertEquals(name, listeners.name());
      assertEquals("Listeners[" + name + ", 1 live]", listeners.toString());
      assertTrue(r.toString().startsWith("Registration[ListenersTest (lambda) in " + name));
    }
  }

  /** Builder: threshold must be positive (naming the value) and may be set once. */
  @Test
  void builder_badThresholdAndSetTwice_rejected() {
    Listeners.Builder b = Listeners.builder("b");
    ScopeBuilderTest.assertIae("threshold must be positive: 0", () -> b.warnThreshold(0));
    b.warnThreshold(5);
    assertThrows(IllegalStateException.class, () -> b.warnThreshold(6));
    assertThrows(IllegalArgumentException.class, () -> Listeners.create(""));
  }

  /** Null arguments are rejected, naming the argument. */
  @Test
  void nullArguments_throwNullPointerNamingArgument() {
    Listeners<Runnable> listeners = Listeners.create(unique("nulls"));
    try (Scope owner = Scope.open(unique("owner"))) {
      assertNpe("name", () -> Listeners.create(null));
      assertNpe("name", () -> Listeners.builder(null));
      assertNpe("owner", () -> listeners.add(null, () -> {}));
      assertNpe("listener", () -> listeners.add(owner, null));
      assertNpe("action", () -> listeners.forEach(null));
      new NullPointerTester()
          .setDefault(Scope.class, owner)
          .setDefault(String.class, "name")
          .testAllPublicInstanceMethods(listeners);
      new NullPointerTester().testAllPublicStaticMethods(Listeners.class);
      assertEquals(0, listeners.size());
    }
  }

  /**
   * Two listeners throwing the same Error instance: forEach calls the others, then throws that
   * Error (it cannot suppress itself: no IllegalArgumentException).
   */
  @Test
  void forEach_sameErrorFromTwoListeners_errorRethrownAfterOthers() {
    Listeners<Consumer<String>> listeners = Listeners.create(unique("same-error"));
    List<String> calls = new ArrayList<>();
    AssertionError error = new AssertionError("shared");
    try (Scope owner = Scope.open(unique("owner"))) {
      Consumer<String> throwing =
          e -> {
            throw error;
          };
      listeners.add(owner, throwing);
      listeners.add(owner, throwing);
      listeners.add(owner, new Recording("c", calls));
      AssertionError thrown =
          assertThrows(AssertionError.class, () -> listeners.forEach(l -> l.accept("e")));
      assertSame(error, thrown);
      assertEquals(0, thrown.getSuppressed().length);
      assertEquals(List.of("c:e"), calls);
    }
  }

  /**
   * A listener that throws a checked exception sneakily (undeclared) does not stop the others and
   * does not escape forEach; it is logged once per registration, like any other failure.
   */
  @Test
  void forEach_listenerThrowsCheckedSneakily_othersCalledLoggedOnce() {
    String name = unique("sneaky");
    Listeners<Consumer<String>> listeners = Listeners.create(name);
    List<String> calls = new ArrayList<>();
    IOException failure = new IOException("undeclared");
    try (LogCapture log = LogCapture.start();
        Scope owner = Scope.open(unique("owner"))) {
      listeners.add(owner, e -> ListenersTest.<RuntimeException>sneakyThrow(failure));
      listeners.add(owner, new Recording("b", calls));
      listeners.forEach(l -> l.accept("1"));
      listeners.forEach(l -> l.accept("2"));
      assertEquals(List.of("b:1", "b:2"), calls);
      List<LogRecord> logged = log.records(Level.WARNING, "of " + name + " (owned by");
      assertEquals(1, logged.size());
      assertSame(failure, logged.get(0).getThrown());
    }
  }

  /** A registry name containing '/' is refused with a message showing it. */
  @Test
  void create_nameWithSlash_throwsIllegalArgumentShowingName() {
    String message = "name must not contain '/', the path separator: \"a/b\"";
    ScopeBuilderTest.assertIae(message, () -> Listeners.create("a/b"));
    ScopeBuilderTest.assertIae(message, () -> Listeners.builder("a/b"));
  }

  /** Throws {@code t} whatever its type, as code compiled elsewhere (or Kotlin) may. */
  @SuppressWarnings("unchecked")
  private static <T extends Throwable> void sneakyThrow(Throwable t) throws T {
    throw (T) t;
  }

  private static void addFromHere(Listeners<Runnable> listeners, Scope owner) {
    listeners.add(owner, () -> {});
  }
}
