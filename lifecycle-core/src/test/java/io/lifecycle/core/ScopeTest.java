package io.lifecycle.core;

import static io.lifecycle.core.Internals.liveEntries;
import static io.lifecycle.core.Internals.slotCapacity;
import static io.lifecycle.core.Internals.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.testing.NullPointerTester;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Ownership and close semantics of {@link Scope} (issue 2, requirement 4). */
@SuppressWarnings("MustBeClosedChecker") // scopes are closed explicitly to test close itself
class ScopeTest {

  /** An Error type no library code throws, to tell it apart. */
  static final class TestError extends Error {
    TestError(String message) {
      super(message);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Basics
  // ---------------------------------------------------------------------------------------------

  /** own returns its argument, and the resource stays open until the scope closes. */
  @Test
  void own_returnsResource_closedOnlyByClose() {
    Scope scope = Scope.open(unique("own"));
    TestResource r = TestResource.of("r");
    assertSame(r, scope.own(r));
    assertFalse(r.isClosed());
    scope.close();
    assertEquals(1, r.closeCount());
  }

  /** own(resource, releaser) returns the resource and releases it once, with the releaser. */
  @Test
  void ownWithReleaser_releasesOnce() {
    Scope scope = Scope.open(unique("releaser"));
    List<String> released = new ArrayList<>();
    String handle = "handle";
    assertSame(handle, scope.own(handle, released::add));
    scope.close();
    scope.close();
    assertEquals(List.of("handle"), released);
  }

  /** own does not deduplicate: a resource owned twice is closed twice. */
  @Test
  void own_sameResourceTwice_closedTwice() {
    Scope scope = Scope.open(unique("twice"));
    TestResource r = TestResource.of("r");
    scope.own(r);
    scope.own(r);
    scope.close();
    assertEquals(2, r.closeCount());
  }

  /** A resource that is not AutoCloseable and has no adapter is refused, naming its type. */
  @Test
  void own_objectWithoutAdapter_throwsIllegalArgument() {
    try (Scope scope = Scope.open(unique("no-adapter"))) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> scope.own(new StringBuilder()));
      assertTrue(e.getMessage().contains("java.lang.StringBuilder"), e.getMessage());
      assertEquals(0, liveEntries(scope));
    }
  }

  /** name() is the last element and path() the names from the root, joined by slashes. */
  @Test
  void path_namesFromRoot() {
    String root = unique("app");
    try (Scope app = Scope.open(root);
        Scope room = app.child("room");
        Scope job = room.child("job")) {
      assertEquals(root, app.path());
      assertEquals(root + "/room/job", job.path());
      assertEquals("job", job.name());
      assertEquals("Scope[" + root + "/room/job, open]", job.toString());
    }
  }

  /** isOpen is true until close starts; toString shows the state. */
  @Test
  void isOpen_falseOnceClosed() {
    Scope scope = Scope.open(unique("state"));
    assertTrue(scope.isOpen());
    scope.close();
    assertFalse(scope.isOpen());
    assertTrue(scope.toString().endsWith(", closed]"), scope.toString());
  }

  /** isOpen is false while the close is in progress. */
  @Test
  void isOpen_falseWhileClosing() {
    Scope scope = Scope.open(unique("closing"));
    AtomicBoolean openDuringClose = new AtomicBoolean(true);
    AtomicReference<String> toString = new AtomicReference<>();
    scope.onClose(
        () -> {
          openDuringClose.set(scope.isOpen());
          toString.set(scope.toString());
        });
    scope.close();
    assertFalse(openDuringClose.get());
    assertTrue(toString.get().endsWith(", closing]"), toString.get());
  }

  /** An empty name is refused. */
  @Test
  void open_emptyName_throwsIllegalArgument() {
    assertThrows(IllegalArgumentException.class, () -> Scope.open(""));
    assertThrows(IllegalArgumentException.class, () -> Scope.builder(""));
    try (Scope scope = Scope.open(unique("parent"))) {
      assertThrows(IllegalArgumentException.class, () -> scope.child(""));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Close order, idempotence, concurrency
  // ---------------------------------------------------------------------------------------------

  /** Resources, actions, releasers and children are released in reverse order of registration. */
  @Test
  void close_releasesInReverseOrder() {
    EventLog log = new EventLog();
    Scope scope = Scope.open(unique("reverse"));
    scope.own(TestResource.logging("r1", log));
    scope.onClose(() -> log.add("a2"));
    Scope child = scope.child("c3");
    child.own(TestResource.logging("c3.r1", log));
    child.onClose(() -> log.add("c3.a2"));
    scope.own("x4", log::add);
    scope.own(TestResource.logging("r5", log));
    scope.onClose(() -> log.add("a6"));
    scope.close();
    assertEquals(List.of("a6", "r5", "x4", "c3.a2", "c3.r1", "a2", "r1"), log.events());
    assertFalse(child.isOpen());
  }

  /** A second close does nothing: nothing is released twice, nothing is thrown again. */
  @Test
  void close_idempotent() {
    Scope scope = Scope.open(unique("idempotent"));
    TestResource r = scope.own(TestResource.of("r"));
    AtomicInteger runs = new AtomicInteger();
    scope.onClose(runs::incrementAndGet);
    scope.own(TestResource.failing("bad", null, new IOException("bad")));
    assertThrows(CloseFailedException.class, scope::close);
    scope.close();
    scope.close();
    assertEquals(1, r.closeCount());
    assertEquals(1, runs.get());
  }

  /** A second caller, concurrent with the first, returns only after the first has finished. */
  @ParameterizedTest
  @EnumSource(ThreadKind.class)
  void close_concurrentSecondCaller_returnsAfterFirstFinished(ThreadKind kind) throws Exception {
    Scope scope = Scope.open(unique("concurrent"));
    TestResource last = scope.own(TestResource.of("last")); // closed after the blocker
    CountDownLatch release = new CountDownLatch(1);
    TestResource blocker = scope.own(TestResource.blocking("blocker", null, release));
    Thread first = kind.start(scope::close);
    blocker.awaitCloseEntered();

    AtomicBoolean lastClosedWhenSecondReturned = new AtomicBoolean();
    Thread second =
        kind.start(
            () -> {
              scope.close();
              lastClosedWhenSecondReturned.set(last.isClosed());
            });
    awaitWaitingIn(second, "awaitClosed");
    assertTrue(second.isAlive(), "the second close returned while the first was blocked");
    release.countDown();
    second.join();
    first.join();
    assertTrue(lastClosedWhenSecondReturned.get());
    assertEquals(1, last.closeCount());
    assertEquals(1, blocker.closeCount());
  }

  /** A caller waiting for another thread's close keeps its interrupt flag and still waits. */
  @Test
  void close_secondCallerInterrupted_keepsWaitingAndFlag() throws Exception {
    Scope scope = Scope.open(unique("interrupted-waiter"));
    TestResource last = scope.own(TestResource.of("last"));
    CountDownLatch release = new CountDownLatch(1);
    TestResource blocker = scope.own(TestResource.blocking("blocker", null, release));
    Thread first = Thread.ofPlatform().start(scope::close);
    blocker.awaitCloseEntered();
    AtomicBoolean flagAfter = new AtomicBoolean();
    AtomicBoolean lastClosed = new AtomicBoolean();
    Thread second =
        Thread.ofPlatform()
            .start(
                () -> {
                  scope.close();
                  lastClosed.set(last.isClosed());
                  flagAfter.set(Thread.currentThread().isInterrupted());
                });
    awaitWaitingIn(second, "awaitClosed");
    second.interrupt();
    // still waiting after the interrupt: wait for it to park again in the same place
    awaitWaitingIn(second, "awaitClosed");
    assertTrue(second.isAlive());
    release.countDown();
    second.join();
    first.join();
    assertTrue(lastClosed.get());
    assertTrue(flagAfter.get());
  }

  /** A close called from inside the close of an owned resource returns at once. */
  @Test
  void close_reentrantFromOwnedResource_returnsAtOnce() {
    Scope scope = Scope.open(unique("reentrant"));
    TestResource first = scope.own(TestResource.of("first"));
    AtomicBoolean returned = new AtomicBoolean();
    scope.own(
        (AutoCloseable)
            () -> {
              scope.close();
              returned.set(true);
            });
    assertTimeoutPreemptively(Duration.ofSeconds(30), scope::close);
    assertTrue(returned.get());
    assertEquals(1, first.closeCount());
  }

  /** A resource of a child closing the root (its ancestor) is re-entrant too. */
  @Test
  void close_reentrantFromDescendantResource_returnsAtOnce() {
    Scope root = Scope.open(unique("reentrant-root"));
    Scope child = root.child("child");
    TestResource other = root.own(TestResource.of("other"));
    child.onClose(root::close);
    assertTimeoutPreemptively(Duration.ofSeconds(30), root::close);
    assertEquals(1, other.closeCount());
    assertFalse(child.isOpen());
  }

  /** Two scopes owning each other close each other without deadlock, from either end. */
  @Test
  void close_scopesOwningEachOther_noDeadlock() {
    Scope a = Scope.open(unique("a"));
    Scope b = Scope.open(unique("b"));
    TestResource ra = a.own(TestResource.of("ra"));
    TestResource rb = b.own(TestResource.of("rb"));
    a.own(b);
    b.own(a);
    assertTimeoutPreemptively(Duration.ofSeconds(30), a::close);
    assertFalse(a.isOpen());
    assertFalse(b.isOpen());
    assertEquals(1, ra.closeCount());
    assertEquals(1, rb.closeCount());
  }

  /** A cycle of three roots closes from any member. */
  @Test
  void close_cycleOfThree_noDeadlock() {
    Scope a = Scope.open(unique("a"));
    Scope b = Scope.open(unique("b"));
    Scope c = Scope.open(unique("c"));
    a.own(b);
    b.own(c);
    c.own(a);
    assertTimeoutPreemptively(Duration.ofSeconds(30), b::close);
    assertFalse(a.isOpen());
    assertFalse(c.isOpen());
  }

  /** Closing a parent closes its open children and their resources. */
  @Test
  void close_closesChildren() {
    Scope parent = Scope.open(unique("parent"));
    Scope child = parent.child("child");
    Scope grandchild = child.child("grandchild");
    TestResource r = grandchild.own(TestResource.of("r"));
    parent.close();
    assertFalse(child.isOpen());
    assertFalse(grandchild.isOpen());
    assertEquals(1, r.closeCount());
  }

  // ---------------------------------------------------------------------------------------------
  // Failures
  // ---------------------------------------------------------------------------------------------

  /**
   * Every entry is released even when some throw; one CloseFailedException names the path and "N of
   * M", with the first failure in close order as cause and the rest suppressed.
   */
  @Test
  void close_someFail_allReleasedAndFailuresCollected() {
    EventLog log = new EventLog();
    String name = unique("failing");
    Scope scope = Scope.open(name);
    IOException early = new IOException("registered first");
    IllegalStateException late = new IllegalStateException("registered later");
    scope.own(TestResource.logging("r1", log));
    scope.own(TestResource.failing("r2", log, early));
    scope.own(TestResource.logging("r3", log));
    scope.onClose(
        () -> {
          log.add("a4");
          throw late;
        });
    scope.own(TestResource.logging("r5", log));

    CloseFailedException e = assertThrows(CloseFailedException.class, scope::close);
    assertEquals(List.of("r5", "a4", "r3", "r2", "r1"), log.events());
    assertTrue(e.getMessage().contains(name), e.getMessage());
    assertTrue(e.getMessage().contains("2 of 5"), e.getMessage());
    assertSame(late, e.getCause());
    assertEquals(List.of(early), Arrays.asList(e.getSuppressed()));
    assertFalse(scope.isOpen());
  }

  /** A failing child's own CloseFailedException is collected by its parent, not lost. */
  @Test
  void close_childFails_parentCollectsIt() {
    Scope parent = Scope.open(unique("parent"));
    TestResource before = parent.own(TestResource.of("before"));
    Scope child = parent.child("child");
    IOException failure = new IOException("child resource");
    child.own(TestResource.failing("bad", null, failure));
    TestResource after = parent.own(TestResource.of("after"));

    CloseFailedException e = assertThrows(CloseFailedException.class, parent::close);
    assertTrue(e.getMessage().contains("1 of 3"), e.getMessage());
    CloseFailedException childFailure = assertInstanceOf(CloseFailedException.class, e.getCause());
    assertTrue(childFailure.getMessage().contains(child.path()), childFailure.getMessage());
    assertSame(failure, childFailure.getCause());
    assertTrue(before.isClosed());
    assertTrue(after.isClosed());
  }

  /**
   * An Error is rethrown after everything else was released, with the other failures suppressed.
   */
  @Test
  void close_error_rethrownAfterRestClosed() {
    EventLog log = new EventLog();
    Scope scope = Scope.open(unique("error"));
    IOException failure = new IOException("io");
    TestError error = new TestError("fatal");
    scope.own(TestResource.logging("r1", log));
    scope.own(TestResource.failing("r2", log, failure));
    scope.own(TestResource.failing("r3", log, error));
    scope.own(TestResource.logging("r4", log));

    TestError thrown = assertThrows(TestError.class, scope::close);
    assertSame(error, thrown);
    assertEquals(List.of("r4", "r3", "r2", "r1"), log.events());
    assertEquals(List.of(failure), Arrays.asList(thrown.getSuppressed()));
    assertFalse(scope.isOpen());
  }

  /** An InterruptedException from a release is collected and the interrupt flag is set after. */
  @Test
  void close_releaseThrowsInterrupted_flagSetAfterClose() {
    Scope scope = Scope.open(unique("release-interrupted"));
    TestResource first = scope.own(TestResource.of("first"));
    scope.onClose(
        () -> {
          throw new InterruptedException("release interrupted");
        });
    CloseFailedException e = assertThrows(CloseFailedException.class, scope::close);
    assertInstanceOf(InterruptedException.class, e.getCause());
    assertTrue(Thread.interrupted());
    assertTrue(first.isClosed());
  }

  // ---------------------------------------------------------------------------------------------
  // Interrupt flag
  // ---------------------------------------------------------------------------------------------

  /** The caller's interrupt flag, set before close, is still set after; everything was closed. */
  @Test
  void close_interruptedCaller_flagPreservedAndAllClosed() {
    Scope scope = Scope.open(unique("interrupted"));
    Scope child = scope.child("child");
    TestResource r1 = scope.own(TestResource.of("r1"));
    TestResource r2 = child.own(TestResource.of("r2"));
    Thread.currentThread().interrupt();
    try {
      scope.close();
      assertTrue(Thread.currentThread().isInterrupted());
    } finally {
      Thread.interrupted();
    }
    assertEquals(1, r1.closeCount());
    assertEquals(1, r2.closeCount());
  }

  /** A release that interrupts the closing thread leaves the flag set when close returns. */
  @Test
  void close_releaseInterruptsThread_flagSetAfterClose() {
    Scope scope = Scope.open(unique("sets-flag"));
    TestResource first = scope.own(TestResource.of("first"));
    scope.onClose(() -> Thread.currentThread().interrupt());
    scope.close();
    assertTrue(Thread.interrupted());
    assertTrue(first.isClosed());
  }

  /** A close on a thread that is not interrupted leaves it not interrupted. */
  @Test
  void close_notInterrupted_flagStaysClear() {
    Scope scope = Scope.open(unique("not-interrupted"));
    scope.own(TestResource.of("r"));
    scope.close();
    assertFalse(Thread.currentThread().isInterrupted());
  }

  // ---------------------------------------------------------------------------------------------
  // Offers to a closing or closed scope
  // ---------------------------------------------------------------------------------------------

  /** own on a closed scope closes the resource at once and throws ScopeClosedException. */
  @Test
  void own_closedScope_closesResourceAndThrows() {
    Scope scope = Scope.open(unique("closed"));
    scope.close();
    TestResource r = TestResource.of("late");
    ScopeClosedException e = assertThrows(ScopeClosedException.class, () -> scope.own(r));
    assertEquals(1, r.closeCount());
    assertEquals(scope.path(), e.path());
    assertTrue(e.getMessage().contains(scope.path()), e.getMessage());
  }

  /** The failure of closing a refused resource is attached to the ScopeClosedException. */
  @Test
  void own_closedScope_resourceCloseFailureSuppressed() {
    Scope scope = Scope.open(unique("closed"));
    scope.close();
    IOException failure = new IOException("late close");
    ScopeClosedException e =
        assertThrows(
            ScopeClosedException.class,
            () -> scope.own(TestResource.failing("late", null, failure)));
    assertEquals(List.of(failure), Arrays.asList(e.getSuppressed()));
  }

  /** own(resource, releaser) on a closed scope runs the releaser at once and throws. */
  @Test
  void ownWithReleaser_closedScope_releasesAndThrows() {
    Scope scope = Scope.open(unique("closed"));
    scope.close();
    List<String> released = new ArrayList<>();
    assertThrows(ScopeClosedException.class, () -> scope.own("handle", released::add));
    assertEquals(List.of("handle"), released);
  }

  /** onClose on a closed scope runs the action at once and throws. */
  @Test
  void onClose_closedScope_runsActionAndThrows() {
    Scope scope = Scope.open(unique("closed"));
    scope.close();
    AtomicInteger runs = new AtomicInteger();
    assertThrows(ScopeClosedException.class, () -> scope.onClose(runs::incrementAndGet));
    assertEquals(1, runs.get());
  }

  /** child and Builder.openIn on a closed scope throw and leave no open scope behind. */
  @Test
  void child_closedScope_throws() {
    Scope scope = Scope.open(unique("closed"));
    scope.close();
    String path = scope.path() + "/late";
    assertThrows(ScopeClosedException.class, () -> scope.child("late"));
    assertThrows(ScopeClosedException.class, () -> Scope.builder("late").openIn(scope));
    assertTrue(
        Lifecycle.openScopes().stream().noneMatch(i -> i.path().equals(path)),
        "a refused child is not open");
  }

  /** fork on a closed scope throws and starts nothing. */
  @Test
  void fork_closedScope_throwsAndStartsNothing() {
    AtomicInteger threads = new AtomicInteger();
    ThreadFactory counting =
        r -> {
          threads.incrementAndGet();
          return Thread.ofVirtual().unstarted(r);
        };
    Scope scope = Scope.builder(unique("closed")).threadFactory(counting).open();
    scope.close();
    AtomicBoolean ran = new AtomicBoolean();
    assertThrows(ScopeClosedException.class, () -> scope.fork(() -> ran.set(true)));
    assertThrows(ScopeClosedException.class, () -> scope.fork(() -> "value"));
    assertEquals(0, threads.get());
    assertFalse(ran.get());
  }

  /** Offers made from inside the close (on the closing thread) are released at once and refused. */
  @Test
  void own_whileClosingOnClosingThread_closesResourceAndThrows() {
    Scope scope = Scope.open(unique("closing"));
    TestResource late = TestResource.of("late");
    AtomicInteger actionRuns = new AtomicInteger();
    List<Throwable> thrown = new ArrayList<>();
    scope.onClose(
        () -> {
          thrown.add(catching(() -> scope.own(late)));
          thrown.add(catching(() -> scope.onClose(actionRuns::incrementAndGet)));
          thrown.add(catching(() -> scope.child("late")));
          thrown.add(catching(() -> scope.fork(() -> {})));
        });
    scope.close();
    assertEquals(4, thrown.size());
    for (Throwable t : thrown) {
      assertInstanceOf(ScopeClosedException.class, t);
    }
    assertEquals(1, late.closeCount());
    assertEquals(1, actionRuns.get());
  }

  /** Offers made by another thread while the scope is closing are released at once and refused. */
  @ParameterizedTest
  @EnumSource(ThreadKind.class)
  void own_whileClosingOnOtherThread_closesResourceAndThrows(ThreadKind kind) throws Exception {
    Scope scope = Scope.open(unique("closing"));
    CountDownLatch release = new CountDownLatch(1);
    TestResource blocker = scope.own(TestResource.blocking("blocker", null, release));
    Thread closer = kind.start(scope::close);
    blocker.awaitCloseEntered();
    try {
      assertFalse(scope.isOpen());
      TestResource late = TestResource.of("late");
      assertThrows(ScopeClosedException.class, () -> scope.own(late));
      assertEquals(1, late.closeCount());
      AtomicInteger runs = new AtomicInteger();
      assertThrows(ScopeClosedException.class, () -> scope.onClose(runs::incrementAndGet));
      assertEquals(1, runs.get());
      assertThrows(ScopeClosedException.class, () -> scope.child("late"));
      AtomicBoolean ran = new AtomicBoolean();
      assertThrows(ScopeClosedException.class, () -> scope.fork(() -> ran.set(true)));
      assertFalse(ran.get());
      Listeners<Runnable> listeners = Listeners.create(unique("registry"));
      assertThrows(ScopeClosedException.class, () -> listeners.add(scope, () -> {}));
      assertEquals(0, listeners.size());
    } finally {
      release.countDown();
      closer.join();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Children leaving early
  // ---------------------------------------------------------------------------------------------

  /**
   * A child closed early leaves its parent's entries; the parent's close does not close it again.
   */
  @Test
  void child_closedEarly_detachesFromParent() {
    Scope parent = Scope.open(unique("parent"));
    parent.own(TestResource.of("keep"));
    int before = liveEntries(parent);
    Scope child = parent.child("child");
    TestResource r = child.own(TestResource.of("r"));
    assertEquals(before + 1, liveEntries(parent));
    child.close();
    assertEquals(before, liveEntries(parent));
    parent.close();
    assertEquals(1, r.closeCount());
  }

  /** A child closed early in the middle of its siblings leaves the others in order. */
  @Test
  void child_closedEarlyInMiddle_othersKeepOrder() {
    EventLog log = new EventLog();
    Scope parent = Scope.open(unique("parent"));
    List<Scope> children = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      Scope c = parent.child("c" + i);
      int n = i;
      c.onClose(() -> log.add("c" + n));
      children.add(c);
    }
    for (int i = 0; i < 20; i += 2) {
      children.get(i).close();
    }
    assertEquals(10, liveEntries(parent));
    int early = log.events().size();
    parent.close();
    List<String> rest = log.events().subList(early, log.events().size());
    List<String> expected = new ArrayList<>();
    for (int i = 19; i >= 1; i -= 2) {
      expected.add("c" + i);
    }
    assertEquals(expected, rest);
  }

  /**
   * 100,000 children opened and closed under one parent, in last-in-first-out order and in a
   * first-in-first-out window, leave the parent's entry array small: no tombstones that grow.
   */
  @Test
  void child_manyOpenCloseCycles_parentDoesNotGrow() {
    Scope parent = Scope.open(unique("long-lived"));
    for (int i = 0; i < 100_000; i++) {
      try (Scope job = parent.child("job")) {
        job.own(TestResource.of("r"));
      }
    }
    assertEquals(0, liveEntries(parent));
    assertTrue(slotCapacity(parent) <= 16, "capacity " + slotCapacity(parent));

    Deque<Scope> window = new ArrayDeque<>();
    int maxCapacity = 0;
    for (int i = 0; i < 100_000; i++) {
      window.addLast(parent.child("job"));
      if (window.size() > 10) {
        window.removeFirst().close(); // the oldest: an interior slot
      }
      maxCapacity = Math.max(maxCapacity, slotCapacity(parent));
    }
    assertEquals(10, liveEntries(parent));
    assertTrue(maxCapacity <= 64, "capacity grew to " + maxCapacity);
    parent.close();
    for (Scope s : window) {
      assertFalse(s.isOpen());
    }
  }

  /** A root closed is removed from the open roots. */
  @Test
  void close_root_leavesOpenRoots() {
    String name = unique("root");
    Scope scope = Scope.open(name);
    assertTrue(Internals.isOpenRoot(name));
    scope.close();
    assertFalse(Internals.isOpenRoot(name));
  }

  // ---------------------------------------------------------------------------------------------
  // Ancestry
  // ---------------------------------------------------------------------------------------------

  /** A scope cannot own itself. */
  @Test
  void own_self_throwsIllegalArgument() {
    try (Scope scope = Scope.open(unique("self"))) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> scope.own(scope));
      assertTrue(e.getMessage().contains("own ancestor"), e.getMessage());
      assertTrue(scope.isOpen());
      assertEquals(0, liveEntries(scope));
    }
  }

  /** A scope cannot own its parent or any other ancestor, also when typed as Object. */
  @Test
  void own_ancestor_throwsIllegalArgument() {
    try (Scope root = Scope.open(unique("root"));
        Scope child = root.child("child");
        Scope grandchild = child.child("grandchild")) {
      assertThrows(IllegalArgumentException.class, () -> child.own(root));
      assertThrows(IllegalArgumentException.class, () -> grandchild.own(root));
      Object asObject = root;
      assertThrows(IllegalArgumentException.class, () -> grandchild.own(asObject));
      assertTrue(root.isOpen());
      assertTrue(child.isOpen());
    }
  }

  /** A scope may own a descendant or a sibling (it is closed by whichever closes first). */
  @Test
  void own_siblingOrDescendant_allowed() {
    Scope root = Scope.open(unique("root"));
    Scope a = root.child("a");
    Scope b = root.child("b");
    a.own(b);
    root.own(a);
    a.close();
    assertFalse(b.isOpen());
    root.close();
  }

  // ---------------------------------------------------------------------------------------------
  // Null arguments
  // ---------------------------------------------------------------------------------------------

  /** Every method throws NullPointerException naming the argument. */
  @Test
  void nullArguments_throwNullPointerNamingArgument() {
    try (Scope scope = Scope.open(unique("nulls"))) {
      assertNpe("name", () -> Scope.open(null));
      assertNpe("name", () -> Scope.builder(null));
      assertNpe("name", () -> scope.child(null));
      assertNpe("resource", () -> scope.own((AutoCloseable) null));
      assertNpe("resource", () -> scope.own((Object) null));
      assertNpe("resource", () -> scope.own(null, x -> {}));
      assertNpe("releaser", () -> scope.own("x", null));
      assertNpe("action", () -> scope.onClose(null));
      assertNpe("body", () -> scope.fork((Callable<?>) null));
      assertNpe("body", () -> scope.fork((Action) null));
      assertNpe("timeout", () -> scope.join(null));
      assertEquals(0, liveEntries(scope));
    }
  }

  /** NullPointerTester finds no public method of Scope that accepts null. */
  @Test
  void nullPointerTester_allPublicMethods() {
    try (Scope scope = Scope.open(unique("npt"));
        Scope other = Scope.open(unique("npt-other"))) {
      NullPointerTester tester =
          new NullPointerTester()
              .setDefault(Scope.class, other)
              .setDefault(Duration.class, Duration.ofSeconds(1))
              .setDefault(String.class, "name");
      tester.testAllPublicStaticMethods(Scope.class);
      tester.testAllPublicInstanceMethods(scope);
      tester.testAllPublicInstanceMethods(Scope.builder("b"));
    }
  }

  static void assertNpe(String argument, Executable call) {
    NullPointerException e = assertThrows(NullPointerException.class, call);
    assertTrue(
        e.getMessage() != null && e.getMessage().startsWith(argument + " "),
        "expected a message naming " + argument + ", got: " + e.getMessage());
  }

  // ---------------------------------------------------------------------------------------------
  // Regressions (review of issues 2 and 3)
  // ---------------------------------------------------------------------------------------------

  /**
   * Thread B closes a child; one of the child's resources closes the parent, which thread A is
   * closing (and whose close waits for the child): B's close of the parent returns at once, and
   * both closes finish.
   */
  @ParameterizedTest
  @EnumSource(ThreadKind.class)
  void close_childResourceClosesParentBeingClosedElsewhere_noDeadlock(ThreadKind kind)
      throws Exception {
    Scope parent = Scope.open(unique("parent"));
    Scope child = parent.child("child");
    TestResource other = parent.own(TestResource.of("other"));
    CountDownLatch inChildClose = new CountDownLatch(1);
    CountDownLatch parentWaitsForChild = new CountDownLatch(1);
    AtomicBoolean parentCloseReturned = new AtomicBoolean();
    child.own(
        (AutoCloseable)
            () -> {
              inChildClose.countDown();
              parentWaitsForChild.await();
              parent.close(); // on B, while A closes the parent
              parentCloseReturned.set(true);
            });
    Thread b = kind.start(child::close);
    assertTrue(inChildClose.await(10, TimeUnit.SECONDS));
    Thread a = kind.start(parent::close);
    awaitWaitingIn(a, "awaitClosed"); // A's close of the parent waits for B's close of the child
    parentWaitsForChild.countDown();
    assertTrue(b.join(Duration.ofSeconds(10)), "the child's close hangs");
    assertTrue(a.join(Duration.ofSeconds(10)), "the parent's close hangs");
    assertTrue(parentCloseReturned.get());
    assertFalse(parent.isOpen());
    assertEquals(1, other.closeCount());
  }

  /**
   * Two resources throwing the same Error instance: the close throws that Error (it cannot
   * suppress itself: no IllegalArgumentException), after every resource was released.
   */
  @Test
  void close_sameErrorFromTwoResources_errorThrown() {
    Scope scope = Scope.open(unique("same-error"));
    TestError error = new TestError("shared");
    TestResource a = scope.own(TestResource.failing("a", null, error));
    TestResource b = scope.own(TestResource.failing("b", null, error));
    TestResource c = scope.own(TestResource.of("c"));
    TestError thrown = assertThrows(TestError.class, scope::close);
    assertSame(error, thrown);
    assertEquals(0, thrown.getSuppressed().length);
    assertEquals(1, a.closeCount());
    assertEquals(1, b.closeCount());
    assertEquals(1, c.closeCount());
  }

  /** Two resources throwing the same exception: it is the cause once, not also suppressed. */
  @Test
  void close_sameExceptionFromTwoResources_causeNotAlsoSuppressed() {
    Scope scope = Scope.open(unique("same-exception"));
    IOException failure = new IOException("shared");
    scope.own(TestResource.failing("a", null, failure));
    scope.own(TestResource.failing("b", null, failure));
    CloseFailedException e = assertThrows(CloseFailedException.class, scope::close);
    assertSame(failure, e.getCause());
    assertEquals(List.of(), Arrays.asList(e.getSuppressed()));
    assertTrue(e.getMessage().contains("2 of 2 owned failed to close"), e.getMessage());
  }

  /** A name containing '/', the path separator, is refused with a message showing it. */
  @Test
  void open_nameWithSlash_throwsIllegalArgumentShowingName() {
    String message = "name must not contain '/', the path separator: \"a/b\"";
    ScopeBuilderTest.assertIae(message, () -> Scope.open("a/b").close());
    ScopeBuilderTest.assertIae(message, () -> Scope.builder("a/b"));
    try (Scope scope = Scope.open(unique("parent"))) {
      ScopeBuilderTest.assertIae(message, () -> scope.child("a/b").close());
      assertEquals(0, liveEntries(scope));
    }
  }

  /** A closer that waited for another thread's close is not kept by the closed scope. */
  @Test
  void close_secondCallerWaited_closedScopeKeepsNoWaiter() throws Exception {
    Scope scope = Scope.open(unique("waiters"));
    CountDownLatch release = new CountDownLatch(1);
    TestResource blocker = scope.own(TestResource.blocking("blocker", null, release));
    Thread first = ThreadKind.PLATFORM.start(scope::close);
    assertTrue(blocker.awaitCloseEntered(Duration.ofSeconds(10)));
    Thread second = ThreadKind.VIRTUAL.start(scope::close);
    awaitWaitingIn(second, "awaitClosed");
    assertEquals(1, Internals.waiters(scope));
    release.countDown();
    assertTrue(first.join(Duration.ofSeconds(10)));
    assertTrue(second.join(Duration.ofSeconds(10)));
    assertEquals(0, Internals.waiters(scope), "a closed scope keeps its waiters' threads");
  }

  /** While the leak safety net closes a scope, the scope shows as closing, not as closed. */
  @Test
  void toString_duringLeakCleanup_showsClosing() {
    String name = unique("leak-closing");
    Scope scope = Scope.open(name);
    AtomicReference<String> during = new AtomicReference<>();
    scope.onClose(() -> during.set(scope.toString()));
    assertNotNull(scope.node.closeLeaked()); // what the cleaner runs for a dropped scope
    assertEquals("Scope[" + name + ", closing]", during.get());
    assertEquals("Scope[" + name + ", closed]", scope.toString());
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers
  // ---------------------------------------------------------------------------------------------

  static Throwable catching(Executable call) {
    try {
      call.execute();
      return null;
    } catch (Throwable t) {
      return t;
    }
  }

  /**
   * Waits until {@code thread} is parked in a method named {@code method}: proof that it entered a
   * wait, without sleeping. Fails after 30 seconds.
   */
  static void awaitWaitingIn(Thread thread, String method) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      Thread.State s = thread.getState();
      if (s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING) {
        for (StackTraceElement e : thread.getStackTrace()) {
          if (e.getMethodName().equals(method)) {
            return;
          }
        }
      }
      if (s == Thread.State.TERMINATED) {
        throw new AssertionError(thread + " ended instead of waiting in " + method);
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(thread + " did not wait in " + method + ": " + s);
      }
      Thread.yield();
    }
  }
}
