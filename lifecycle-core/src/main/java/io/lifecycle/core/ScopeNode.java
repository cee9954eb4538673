package io.lifecycle.core;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.PhantomReference;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * The internal state of a {@link Scope}: a node of the ownership tree.
 *
 * <h2>Implementation notes</h2>
 *
 * <h3>Ownership</h3>
 *
 * <p>A node owns {@link Children}: plain resources, {@link Owned} entries, child nodes and tasks,
 * in registration order. The tree links nodes to nodes, never to a {@link Scope}: the node <em>is
 * </em> the phantom reference to its public handle, so a handle that the program drops becomes
 * unreachable while its node, held by its parent (or by {@link Roots}), survives to report it.
 * Entries that can leave early (child nodes, tasks, registrations) remember their slot and leave in
 * constant time (see {@link Slots}).
 *
 * <h3>States</h3>
 *
 * <p>{@link #state} moves OPEN to CLOSING (by CAS: the winner is the closer) to CLOSED (by the
 * closer, when everything is released). The leak safety net moves it to CLOSING_LEAKED instead of
 * CLOSING, so that a descendant found at the same time knows its ancestor's report covers it. Entries are attached under the node's monitor only while
 * OPEN, and the closer takes them under the same monitor after its CAS, so every entry is either
 * attached before the closer takes them or refused (and released by the offering thread).
 *
 * <h3>Close</h3>
 *
 * <p>The closer cancels running tasks, waits up to the task grace for them, releases the other
 * entries in reverse order, then waits for the remaining tasks. Without a close timeout all of
 * this runs inline on the caller's thread and starts no thread. With one, the releases run on a
 * helper virtual thread that the caller watches; an entry whose release overruns the deadline is
 * abandoned on that thread and reported, and the rest continue on a fresh helper (see {@link
 * #closeBounded}). Failures are collected in close order and thrown together once everything is
 * released. A second closer waits (parked on a stack of waiters in the children) until CLOSED; a
 * re-entrant close (the thread is already closing this node, or is one of its tasks or a task of
 * its subtree) returns at once.
 *
 * <h3>Leaks</h3>
 *
 * <p>When the collector finds the handle phantom reachable while the node is OPEN, {@link Tracker}
 * takes the node from the reference queue, reports it unless an ancestor leaked too (that
 * ancestor's report covers it), and closes it as a safety net with a bounded close. A closed node
 * clears its reference, so it is never enqueued.
 */
final class ScopeNode extends PhantomReference<Scope> implements Indexed {
  static final int OPEN = 0;
  static final int CLOSING = 1;
  static final int CLOSED = 2;

  /** Like CLOSING, but the closer is the leak safety net: the handle was found unreachable. */
  static final int CLOSING_LEAKED = 3;

  private static final VarHandle STATE;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(ScopeNode.class, "state", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Past the close deadline, how long each further entry may take before it is abandoned. */
  static final long SLICE_NANOS = 100_000_000L;

  /** Past the close deadline, how long the remaining entries may take in all. */
  static final long OVERRUN_NANOS = 1_000_000_000L;

  private static final int TRACKED = 1;
  private static final int LEVEL_SHIFT = 1;
  private static final int LEVEL_MASK = 0x3 << LEVEL_SHIFT;
  private static final int STRIPE_SHIFT = 8;

  /** OPEN, CLOSING or CLOSING_LEAKED, CLOSED. */
  volatile int state;

  final String name;

  /** The owning node; null for a root. */
  final ScopeNode parent;

  /** The slot in the parent's children (or the root stripe); guarded by that owner's monitor. */
  private int slot;

  /** What this node owns; null until it first owns something. Written under the monitor. */
  volatile Children children;

  /** {@link System#nanoTime()} at open. */
  final long openedAt;

  /** TRACKED, the leak level, and a root's stripe. */
  private final int flags;

  /** The count this scope is counted in, under its name. */
  final LiveCount count;

  final ScopeConfig config;

  /** Where the scope was opened; null when not captured. */
  final Trace trace;

  ScopeNode(
      Scope handle,
      String name,
      ScopeNode parent,
      ScopeConfig config,
      LeakLevel level,
      Trace trace,
      LiveCount count,
      int stripe) {
    super(level.tracked() ? handle : null, level.tracked() ? Tracker.queue() : null);
    this.name = name;
    this.parent = parent;
    this.config = config;
    this.trace = trace;
    this.count = count;
    this.openedAt = System.nanoTime();
    this.flags =
        (level.tracked() ? TRACKED : 0)
            | (levelBits(level) << LEVEL_SHIFT)
            | (stripe << STRIPE_SHIFT);
  }

  // ---------------------------------------------------------------------------------------------
  // Opening
  // ---------------------------------------------------------------------------------------------

  /** Opens a scope: a root when {@code parent} is null, else a child of {@code parent}. */
  static Scope open(String name, ScopeNode parent, ScopeConfig config) {
    LeakLevel level = config.leakLevel != null ? config.leakLevel : Lifecycle.level();
    Trace trace = Trace.capture(level);
    LiveCount count = Counters.SCOPES.increment(name);
    int stripe = parent == null ? Roots.stripe() : 0;
    Scope scope = new Scope(name, parent, config, level, trace, count, stripe);
    ScopeNode node = scope.node;
    if (parent == null) {
      if (node.tracked()) {
        Roots.add(node, stripe); // a DISABLED root is not held: dropped, it is simply collected
      }
    } else if (!parent.attachIndexed(node)) {
      node.abandonOpen();
      throw new ScopeClosedException(parent.path(), "open child scope " + name);
    }
    if (parent != null && parent.trace != null && parent.level() == LeakLevel.PARANOID) {
      parent.trace.recordAccess("child " + name);
    }
    return scope;
  }

  /** Undoes an open whose parent refused the child: the node was never visible. */
  private void abandonOpen() {
    state = CLOSED;
    clear();
    count.decrement();
  }

  // ---------------------------------------------------------------------------------------------
  // Accessors
  // ---------------------------------------------------------------------------------------------

  boolean tracked() {
    return (flags & TRACKED) != 0;
  }

  LeakLevel level() {
    return switch ((flags & LEVEL_MASK) >>> LEVEL_SHIFT) {
      case 0 -> LeakLevel.DISABLED;
      case 1 -> LeakLevel.SAMPLED;
      case 2 -> LeakLevel.ALL;
      default -> LeakLevel.PARANOID;
    };
  }

  private static int levelBits(LeakLevel level) {
    return switch (level) {
      case DISABLED -> 0;
      case SAMPLED -> 1;
      case ALL -> 2;
      case PARANOID -> 3;
    };
  }

  private int stripe() {
    return flags >>> STRIPE_SHIFT;
  }

  boolean isOpen() {
    return state == OPEN;
  }

  /** Returns "app/room/job": the names from the root down. */
  String path() {
    if (parent == null) {
      return name;
    }
    StringBuilder sb = new StringBuilder(64);
    appendPath(sb);
    return sb.toString();
  }

  private void appendPath(StringBuilder sb) {
    if (parent != null) {
      parent.appendPath(sb);
      sb.append('/');
    }
    sb.append(name);
  }

  /** Returns whether {@code other} is this node or one of its ancestors. */
  boolean hasAncestorOrSelf(ScopeNode other) {
    for (ScopeNode n = this; n != null; n = n.parent) {
      if (n == other) {
        return true;
      }
    }
    return false;
  }

  @Override
  public int slot() {
    return slot;
  }

  @Override
  public void slot(int slot) {
    this.slot = slot;
  }

  // ---------------------------------------------------------------------------------------------
  // Attaching and detaching entries
  // ---------------------------------------------------------------------------------------------

  @GuardedBy("this")
  private Children childrenLocked() {
    Children c = children;
    if (c == null) {
      children = c = new Children();
    }
    return c;
  }

  /** Appends {@code entry} if OPEN; returns false if the scope is closing or closed. */
  private boolean attach(Object entry) {
    synchronized (this) {
      if (state != OPEN) {
        return false;
      }
      childrenLocked().append(entry);
      return true;
    }
  }

  /** Appends an entry that may leave early, recording its slot; false if not OPEN. */
  private boolean attachIndexed(Indexed entry) {
    synchronized (this) {
      if (state != OPEN) {
        return false;
      }
      entry.slot(childrenLocked().append(entry));
      return true;
    }
  }

  /** Removes an entry that leaves before this node closes (no-op once the close took them). */
  void detach(Indexed entry) {
    synchronized (this) {
      Children c = children;
      if (c != null && !c.closing) {
        c.remove(entry.slot());
      }
    }
  }

  /** Owns a plain resource: AutoCloseable, or a type with a {@link ResourceAdapter}. */
  void ownPlain(Object resource) {
    LiveCount c = Types.info(resource.getClass()).countIn();
    Object entry =
        Counters.RESOURCES.isOther(c) ? new OverflowResource(resource, c) : resource;
    if (!attach(entry)) {
      throw refused(entry, "own " + Types.key(resource));
    }
    recordAccess("own");
  }

  <T> void own(T resource, Releaser<? super T> releaser) {
    LiveCount c = Types.info(resource.getClass()).countIn();
    ReleaserEntry<T> entry = new ReleaserEntry<>(resource, releaser, c);
    if (!attach(entry)) {
      throw refused(entry, "own " + Types.key(resource));
    }
    recordAccess("own");
  }

  Registration onClose(Cleanup action) {
    LiveCount c = Types.info(action.getClass()).countIn();
    ActionRegistration r = new ActionRegistration(this, action, c);
    if (!attachIndexed(r)) {
      throw refused(r, "register onClose action " + Types.key(action));
    }
    recordAccess("onClose");
    return r;
  }

  /** Attaches a listener entry of a {@link Listeners} registry; false if not OPEN. */
  boolean attachListener(Listeners.Entry<?> entry) {
    return attachIndexed(entry);
  }

  /** Releases an entry offered to a closed scope and returns the exception to throw. */
  private ScopeClosedException refused(Object entry, String attempted) {
    ScopeClosedException e = new ScopeClosedException(path(), attempted);
    try {
      releaseEntry(entry, this);
    } catch (Throwable t) {
      e.addSuppressed(t);
    }
    return e;
  }

  private void recordAccess(String operation) {
    if (trace != null && level() == LeakLevel.PARANOID) {
      trace.recordAccess(operation);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Releasing entries
  // ---------------------------------------------------------------------------------------------

  /** Releases one entry on the current thread. */
  static void releaseEntry(Object entry, ScopeNode owner) throws Exception {
    if (entry instanceof ScopeNode child) {
      child.close();
    } else if (entry instanceof Owned o) {
      o.release(owner);
    } else {
      try {
        releasePlain(entry, owner);
      } finally {
        Types.info(entry.getClass()).countOut();
      }
    }
  }

  /**
   * Closes a plain resource through its adapter, or its own {@code close()}. A resource that is
   * not {@code AutoCloseable} and whose adapter was removed after it was owned cannot be released:
   * that fails with a message naming its type.
   */
  static void releasePlain(Object resource, ScopeNode owner) throws Exception {
    ResourceAdapter<Object> adapter = Adapters.find(resource);
    if (adapter != null) {
      adapter.release(resource, new ReleaseContextImpl(owner));
    } else if (resource instanceof AutoCloseable c) {
      c.close();
    } else {
      throw new IllegalStateException(
          "no ResourceAdapter releases "
              + resource.getClass().getName()
              + " any more: its adapter was removed after the resource was owned");
    }
  }

  /** Describes an entry for reports: "close of AudioStream", "close of child scope app/job". */
  static String describe(Object entry) {
    if (entry instanceof ScopeNode child) {
      return "close of child scope " + child.path();
    }
    if (entry instanceof Owned o) {
      return (o instanceof ActionRegistration ? "onClose action " : "release of ") + o.type();
    }
    return "close of " + Types.key(entry);
  }

  // ---------------------------------------------------------------------------------------------
  // Tasks
  // ---------------------------------------------------------------------------------------------

  <T> Task<T> fork(Callable<? extends T> body) {
    TaskImpl<T> task = new TaskImpl<>(this, body);
    ThreadFactory factory;
    synchronized (this) {
      if (state != OPEN) {
        throw new ScopeClosedException(path(), "fork a task");
      }
      Children c = childrenLocked();
      TaskGroup g = c.tasks(this);
      if (g.tripped && config.joinPolicy == JoinPolicy.FAIL_FAST) {
        if (!g.refusalLogged) {
          g.refusalLogged = true;
          Reporter.LOG.log(
              System.Logger.Level.WARNING,
              "scope {0}: a task failed and cancelled its siblings (fail-fast); forks return"
                  + " cancelled tasks until join() is called. For tasks that are never joined,"
                  + " use JoinPolicy.COLLECT_ALL.",
              path());
        }
        return TaskImpl.cancelled(this);
      }
      task.slot(c.append(task));
      g.running++;
      factory = g.factory();
    }
    Counters.TASKS.increment();
    recordAccess("fork");
    try {
      Thread thread = factory.newThread(task);
      if (thread == null) {
        throw new IllegalStateException("the thread factory of " + path() + " returned null");
      }
      task.thread = thread;
      thread.start();
    } catch (Throwable t) {
      task.startFailed(t); // thrown to the caller: neither a failure for close nor a trip
      throw t;
    }
    return task;
  }

  /**
   * Called on a task's thread when it finishes, or by the forking thread when the thread could not
   * be started ({@code started} false). A start failure is thrown to the forking thread, so it is
   * neither kept for join and close nor a fail-fast trip: the running siblings go on.
   */
  void taskFinished(TaskImpl<?> task, boolean started) {
    // Counted out first: a close or join that returns because of this task sees it gone.
    Counters.TASKS.decrement();
    boolean late = false;
    synchronized (this) {
      Children c = children;
      if (!c.closing) {
        c.remove(task.slot());
      } else if (state == CLOSED && c.slots != null && c.slots[task.slot()] == task) {
        c.slots[task.slot()] = null; // a task that closed its own scope: the close is over
      }
      TaskGroup g = c.tasks;
      if (started && task.isFailed()) {
        if (g.collected) {
          late = true;
        } else {
          g.recordFailure(task);
          if (config.joinPolicy == JoinPolicy.FAIL_FAST && !g.tripped) {
            g.tripped = true;
            if (!c.closing) {
              Object[] a = c.slots;
              for (int i = 0; i < c.size; i++) {
                if (a[i] instanceof TaskImpl<?> t && t != task) {
                  t.cancel();
                }
              }
            }
            g.wakeJoiners();
          }
        }
      }
      g.finished(task);
    }
    if (late) {
      Reporter.lateFailure(path(), "task " + task, task.failure());
    }
  }

  /** A join or {@link Task#exception()} observed the failure of {@code task}. */
  void observed(TaskImpl<?> task) {
    synchronized (this) {
      if (!task.observed) {
        task.observed = true;
        Children c = children;
        if (c != null && c.tasks != null) {
          c.tasks.failures.remove(task);
        }
      }
    }
  }

  /**
   * Waits for the tasks running at the call; {@code timeoutNanos < 0} waits without bound.
   *
   * @throws TaskFailedException if a task failed (fail-fast: at the first failure)
   * @throws TimeoutException if the timeout passed; the tasks still running are cancelled
   */
  @SuppressWarnings("ReferenceEquality") // threads are compared by identity
  void join(long timeoutNanos) throws InterruptedException, TimeoutException {
    Thread me = Thread.currentThread();
    TaskGroup g;
    TaskGroup.JoinWaiter w;
    List<TaskImpl<?>> waitedFor = new ArrayList<>();
    synchronized (this) {
      Children c = children;
      if (c == null || c.tasks == null) {
        return;
      }
      g = c.tasks;
      Object[] a = c.slots;
      for (int i = 0; i < c.size; i++) {
        if (a[i] instanceof TaskImpl<?> t && !t.done && t.thread != me) {
          waitedFor.add(t);
        }
      }
      w = new TaskGroup.JoinWaiter(me, g.round, waitedFor.size());
      for (TaskImpl<?> t : waitedFor) {
        t.addJoiner(w);
      }
      g.joiners.add(w);
    }
    boolean failFast = config.joinPolicy == JoinPolicy.FAIL_FAST;
    long deadline = timeoutNanos < 0 ? 0 : Checks.deadline(System.nanoTime(), timeoutNanos);
    try {
      while (!w.done && !(failFast && (g.tripped || g.failedRound >= w.round))) {
        if (Thread.interrupted()) {
          throw new InterruptedException("interrupted while joining the tasks of " + path());
        }
        if (timeoutNanos < 0) {
          LockSupport.park(this);
        } else {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            for (TaskImpl<?> t : waitedFor) {
              t.cancel();
            }
            throw new TimeoutException(
                "tasks of "
                    + path()
                    + " did not finish within "
                    + Format.duration(timeoutNanos)
                    + "; the running ones were cancelled");
          }
          LockSupport.parkNanos(this, left);
        }
      }
    } finally {
      synchronized (this) {
        g.joiners.remove(w);
        if (w.remaining > 0) {
          for (TaskImpl<?> t : waitedFor) {
            t.removeJoiner(w); // a joiner that left early must not stay on long-running tasks
          }
        }
      }
    }
    throwTaskFailures(g, w);
  }

  /**
   * Ends the joiner's round: takes the round's failures (they are now observed) and throws them.
   * The other joiners of the same round throw the same exception, so none of them returns
   * normally from a round that failed.
   */
  private void throwTaskFailures(TaskGroup g, TaskGroup.JoinWaiter w) {
    TaskFailedException e;
    // One critical section: a joiner of this round that finds the failures taken must also find
    // the exception carrying them (else it would return normally from a failed round).
    synchronized (this) {
      if (g.failures.isEmpty()) {
        if (g.failedRound >= w.round && g.roundFailure != null) {
          throw g.roundFailure;
        }
        g.tripped = false;
        g.refusalLogged = false;
        return;
      }
      List<TaskImpl<?>> failed = new ArrayList<>(g.failures);
      int dropped = g.droppedFailures;
      g.failures.clear();
      g.droppedFailures = 0;
      for (TaskImpl<?> t : failed) {
        t.observed = true;
      }
      int total = failed.size() + dropped;
      e =
          new TaskFailedException(
              total
                  + (total == 1 ? " task" : " tasks")
                  + " of "
                  + path()
                  + " failed"
                  + (dropped > 0 ? " (" + dropped + " not kept)" : ""),
              failed.get(0).failure());
      for (int i = 1; i < failed.size(); i++) {
        e.addSuppressed(failed.get(i).failure());
      }
      g.roundFailure = e;
      g.failedRound = g.round;
      g.round++;
      g.tripped = false;
      g.refusalLogged = false;
      g.wakeJoiners(); // the other joiners of this round throw it too
    }
    throw e;
  }

  // ---------------------------------------------------------------------------------------------
  // Closing
  // ---------------------------------------------------------------------------------------------

  /**
   * Closes this node: returns when it is closed, at once if the close is re-entrant. Throws what
   * the close collected.
   */
  void close() {
    int s = state;
    if (s == CLOSED) {
      return;
    }
    if (s == OPEN && STATE.compareAndSet(this, OPEN, CLOSING)) {
      runClose(config.bounded() ? config.closeTimeoutNanos : -1);
    } else {
      awaitClosed();
    }
  }

  /**
   * Closes a node whose handle the collector found unreachable. Returns null when the node was
   * closed meanwhile (nothing to report), else the inventory taken before the cleanup and the
   * cleanup's failure, if any.
   */
  @SuppressWarnings("ReferenceEquality") // the same failure must not suppress itself
  LeakCleanup closeLeaked() {
    if (!STATE.compareAndSet(this, OPEN, CLOSING_LEAKED)) {
      return null;
    }
    Inventory inventory = null;
    Throwable failure = null;
    try {
      inventory = Inventory.of(this);
    } catch (Throwable t) {
      failure = t; // still close: a node left CLOSING would hang every waiter
    }
    try {
      runClose(config.bounded() ? config.closeTimeoutNanos : Settings.LEAK_CLOSE_TIMEOUT_NANOS);
    } catch (Throwable t) {
      if (failure == null) {
        failure = t;
      } else if (t != failure) {
        failure.addSuppressed(t);
      }
    }
    return new LeakCleanup(inventory == null ? Inventory.EMPTY : inventory, failure);
  }

  /** What a leaked node held, and how its safety-net close went. */
  record LeakCleanup(Inventory inventory, Throwable failure) {}

  /** The close proper, run by the thread that won the CAS out of OPEN. */
  private void runClose(long boundNanos) {
    Failures f = null;
    boolean interrupted = Thread.interrupted();
    try {
      if (tracked()) {
        clear(); // a closed node must never be reported
      }
      Thread me = Thread.currentThread();
      Children c;
      Object[] entries = null;
      int n = 0;
      TaskGroup g = null;
      synchronized (this) {
        c = children;
        if (c != null) {
          c.closing = true;
          c.closer = me;
          entries = c.slots;
          n = c.size;
          g = c.tasks;
        }
      }
      // With no entry left, the close still has to collect the failures of finished tasks.
      if (n > 0 || g != null) {
        long grace = NO_GRACE;
        if (parent != null && parent.isClosedBy(me)) {
          grace = parent.children.graceDeadline; // the parent's close: its grace is shared
        } else if (cancelDescendantTasks(entries, n)) {
          // The top of a close, over a subtree with tasks: they were all cancelled at once, so
          // they stop during one grace instead of one grace per scope, closed one after another.
          grace = Checks.deadline(System.nanoTime(), config.taskGraceNanos);
        }
        if (grace == NO_GRACE && g != null) {
          grace = Checks.deadline(System.nanoTime(), config.taskGraceNanos);
        }
        c.graceDeadline = grace; // read the clock only when there are tasks to wait for
        f =
            boundNanos < 0
                ? closeInline(c, g, entries, n)
                : closeBounded(c, g, entries, n, boundNanos);
      }
    } finally {
      finish(); // whatever happened: a node left CLOSING would hang every waiter
    }
    if (interrupted || (f != null && f.interrupted)) {
      Thread.currentThread().interrupt();
    }
    if (f != null) {
      f.throwIfFailed(path());
    }
  }

  /** Detaches from the owner, counts out, publishes CLOSED and wakes waiting closers. */
  private void finish() {
    if (parent != null) {
      parent.detach(this);
    } else if (tracked()) {
      Roots.remove(this, stripe());
    }
    count.decrement();
    STATE.setRelease(this, CLOSED);
    VarHandle.fullFence(); // the CLOSED write before the waiters read: see awaitClosed
    Children c = children;
    if (c != null) {
      Children.WaitNode w = c.waiters;
      if (w != null) {
        for (; w != null; w = w.next) {
          LockSupport.unpark(w.thread);
        }
        c.waiters = null; // a waiter queued after this read sees CLOSED on its re-check
      }
    }
  }

  /**
   * Waits for another thread's close, unless this close is re-entrant: the current thread is
   * closing this node or one of its descendants (an owned resource closing its owner, or a child's
   * resource closing an ancestor that another thread is closing: waiting would deadlock, and the
   * ancestor's close waits for the child anyway), or runs a task of this node's subtree.
   */
  private void awaitClosed() {
    if (isReentrant(Thread.currentThread())) {
      return;
    }
    boolean interrupted = false;
    boolean queued = false;
    while (state != CLOSED) {
      if (!queued) {
        synchronized (this) {
          if (state == CLOSED) {
            break;
          }
          Children c = childrenLocked();
          c.waiters = new Children.WaitNode(Thread.currentThread(), c.waiters);
        }
        queued = true;
        continue; // re-read the state after queueing: the closer reads the waiters after CLOSED
      }
      LockSupport.park(this);
      if (Thread.interrupted()) {
        interrupted = true;
      }
    }
    if (queued) {
      synchronized (this) {
        // CLOSED: a node queued after the closer read the waiters must not stay behind either
        children.waiters = null;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Returns whether {@code t} is this node's closer, or a helper of its bounded close: then a
   * child's close is part of this node's close, and shares its task grace.
   */
  @SuppressWarnings("ReferenceEquality") // threads are compared by identity
  private boolean isClosedBy(Thread t) {
    Children c = children;
    if (c == null) {
      return false;
    }
    if (c.closer == t) {
      return true; // written by t itself
    }
    if (c.helpers == null) {
      return false;
    }
    synchronized (this) {
      return c.closing && c.isCloser(t);
    }
  }

  /**
   * Returns whether a close of this node by {@code t} is re-entrant: {@code t} is closing this node
   * or one of its descendants (as the closer or a helper of a bounded close), or runs a task of
   * this node's subtree. Walks the subtree, each node under its monitor: the slow path of a
   * contended close only. Entries stay in the array until they are released, so a child being
   * closed is still found.
   */
  @SuppressWarnings("ReferenceEquality") // threads are compared by identity
  private boolean isReentrant(Thread t) {
    ArrayDeque<ScopeNode> pending = new ArrayDeque<>();
    pending.push(this);
    while (!pending.isEmpty()) {
      ScopeNode node = pending.pop();
      Object[] entries;
      synchronized (node) {
        Children c = node.children;
        if (c == null) {
          continue;
        }
        if (c.closing && c.isCloser(t)) {
          return true;
        }
        if (c.slots == null) {
          continue;
        }
        entries = Arrays.copyOf(c.slots, c.size);
      }
      for (Object e : entries) {
        if (e instanceof TaskImpl<?> task && task.thread == t && !task.done) {
          return true;
        }
        if (e instanceof ScopeNode child) {
          pending.push(child);
        }
      }
    }
    return false;
  }

  /** {@link Children#graceDeadline} of a close with no task in its subtree: no clock read. */
  private static final long NO_GRACE = Long.MIN_VALUE + 1;

  /** Returns the close's grace deadline, reading the clock if none was set. */
  private long graceDeadline(Children c) {
    long grace = c.graceDeadline;
    if (grace == NO_GRACE) {
      c.graceDeadline = grace = Checks.deadline(System.nanoTime(), config.taskGraceNanos);
    }
    return grace;
  }

  /**
   * Cancels the running tasks of the descendants found among {@code entries}; returns whether it
   * found any task.
   */
  @SuppressWarnings("ReferenceEquality") // threads are compared by identity
  private static boolean cancelDescendantTasks(Object[] entries, int n) {
    ArrayDeque<ScopeNode> pending = null;
    for (int i = 0; i < n; i++) {
      if (entries[i] instanceof ScopeNode child) {
        if (pending == null) {
          pending = new ArrayDeque<>();
        }
        pending.push(child);
      }
    }
    if (pending == null) {
      return false;
    }
    Thread me = Thread.currentThread();
    boolean found = false;
    while (!pending.isEmpty()) {
      for (Object e : Inventory.entries(pending.pop())) {
        if (e instanceof TaskImpl<?> t) {
          found = true;
          if (t.thread != me) {
            t.cancel();
          }
        } else if (e instanceof ScopeNode child) {
          pending.push(child);
        }
      }
    }
    return found;
  }

  /** Cancels the running tasks among {@code entries}, except the current thread's; returns it. */
  @SuppressWarnings("ReferenceEquality") // threads are compared by identity
  private static TaskImpl<?> cancelTasks(Object[] entries, int n) {
    Thread me = Thread.currentThread();
    TaskImpl<?> self = null;
    for (int i = 0; i < n; i++) {
      if (entries[i] instanceof TaskImpl<?> t) {
        if (t.thread == me) {
          self = t;
        } else {
          t.cancel();
        }
      }
    }
    return self;
  }

  /**
   * Waits until at most {@code allowed} task threads run; {@code deadline == Long.MIN_VALUE} waits
   * without bound. Returns whether they stopped in time. Interrupts are remembered in {@code f}.
   */
  @CanIgnoreReturnValue
  private boolean awaitTasks(TaskGroup g, int allowed, long deadline, Failures f) {
    boolean timed = deadline != Long.MIN_VALUE;
    try {
      while (true) {
        synchronized (this) {
          if (g.running <= allowed) {
            return true;
          }
          g.closeWaiter = Thread.currentThread();
          g.closeAllowed = allowed;
        }
        if (timed) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            return false;
          }
          LockSupport.parkNanos(this, left);
        } else {
          LockSupport.park(this);
        }
        if (Thread.interrupted()) {
          f.interrupted = true; // a close finishes; the flag is restored at the end
        }
      }
    } finally {
      synchronized (this) {
        g.closeWaiter = null;
      }
    }
  }

  /**
   * The unbounded close: everything inline on the caller's thread. Returns null when nothing
   * failed and nothing interrupted the close (no allocation on that path).
   */
  private Failures closeInline(Children c, TaskGroup g, Object[] entries, int n) {
    Failures f = null;
    TaskImpl<?> self = null;
    if (g != null) {
      f = new Failures();
      self = cancelTasks(entries, n);
      awaitTasks(g, self == null ? 0 : 1, graceDeadline(c), f);
    }
    int released = 0;
    for (int i = n - 1; i >= 0; i--) {
      Object e = entries[i];
      if (e == null || e instanceof TaskImpl) {
        continue;
      }
      released++;
      try {
        releaseEntry(e, this);
      } catch (Throwable t) {
        if (f == null) {
          f = new Failures();
        }
        f.addReleaseFailure(t);
      }
      entries[i] = null; // after the release: a child being closed stays visible to its tasks
      if (Thread.interrupted()) {
        if (f == null) {
          f = new Failures();
        }
        f.interrupted = true;
      }
    }
    if (g != null) {
      awaitTasks(g, self == null ? 0 : 1, Long.MIN_VALUE, f);
      collectTaskFailures(g, f);
      clearTasks(entries, n, self);
    }
    if (f != null) {
      f.released += released;
    }
    return f;
  }

  /** Drops the finished tasks from a closed node's array: their results go with them. */
  private static void clearTasks(Object[] entries, int n, TaskImpl<?> self) {
    for (int i = 0; i < n; i++) {
      if (entries[i] instanceof TaskImpl<?> t && t != self && t.done) {
        entries[i] = null;
      }
    }
  }

  /** Moves the failures no join observed into the close's failures. */
  private void collectTaskFailures(TaskGroup g, Failures f) {
    synchronized (this) {
      for (TaskImpl<?> t : g.failures) {
        t.observed = true;
        f.add(t.failure());
        f.taskFailures++;
      }
      f.taskFailures += g.droppedFailures;
      f.droppedTaskFailures += g.droppedFailures;
      g.failures.clear();
      g.droppedFailures = 0;
      g.collected = true; // a task failing from now on is reported as it ends
    }
  }

  /**
   * The bounded close: the releases run on helper threads watched by the caller, so that the
   * whole close returns within {@code timeoutNanos} plus {@link #OVERRUN_NANOS} and a little.
   *
   * <p>Tasks are cancelled and given the task grace (within the deadline). The other entries are
   * released in reverse order by a {@link CloseRun} on a virtual thread. If it has not finished
   * at the deadline, the entry whose release it started is abandoned (reported, left on that
   * thread) and a fresh run takes the next entries; a run that has not started its entry yet is
   * stopped and a fresh run takes that entry, so no entry is skipped. Past the deadline each
   * further entry gets {@link #SLICE_NANOS} from the start of its release (a helper scheduled late
   * does not shorten it); once {@link #OVERRUN_NANOS} past the deadline, a last run releases what
   * remains in the background and the close returns. Tasks still running after that are reported
   * and abandoned.
   */
  private Failures closeBounded(
      Children c, TaskGroup g, Object[] entries, int n, long timeoutNanos) {
    Failures f = new Failures();
    long start = System.nanoTime();
    long deadline = Checks.deadline(start, timeoutNanos);
    c.closeDeadline = deadline;
    c.bounded = true;
    TaskImpl<?> self = null;
    if (g != null) {
      self = cancelTasks(entries, n);
      long grace = graceDeadline(c);
      awaitTasks(g, self == null ? 0 : 1, grace - deadline < 0 ? grace : deadline, f);
    }
    // The entries to release, in close order. They stay in the array until released (or given up
    // on), so that a child being closed is still found by its tasks (see isTaskThreadInSubtree).
    List<Object> items = new ArrayList<>(n);
    for (int i = n - 1; i >= 0; i--) {
      Object e = entries[i];
      if (e != null && !(e instanceof TaskImpl)) {
        items.add(e);
      }
    }
    String path = path();
    long hardEnd = Checks.deadline(deadline, OVERRUN_NANOS);
    long windowEnd = deadline;
    int next = 0;
    while (next < items.size()) {
      CloseRun run = new CloseRun(this, items, next, false);
      Thread helper = helper(c, path, run);
      run.start(helper);
      boolean finished = run.awaitFinished(windowEnd, f);
      int stuck = CloseRun.FINISHED;
      while (!finished) {
        // Past the deadline each entry has a whole slice from the start of its release: one that
        // the helper started late in the window (its carrier was busy) gets the rest of its
        // slice, rather than being blamed for the scheduler's delay.
        boolean slice = windowEnd != deadline && windowEnd != hardEnd;
        stuck = slice ? run.abandonUnlessStartedAfter(windowEnd - SLICE_NANOS) : run.abandon();
        if (stuck != CloseRun.STARTED_LATE) {
          break;
        }
        long end = run.itemStartedAt() + SLICE_NANOS;
        windowEnd = end - hardEnd < 0 ? end : hardEnd;
        finished = run.awaitFinished(windowEnd, f);
      }
      run.drainInto(f);
      if (finished || stuck == CloseRun.FINISHED) {
        break;
      }
      if (stuck == CloseRun.NOT_STARTED) {
        next = run.resumeAt(); // the helper had no entry in progress: nothing is stuck
      } else {
        Object item = items.get(stuck);
        f.abandoned(
            Reporter.stuck(
                path,
                describe(item),
                System.nanoTime() - run.itemStartedAt(),
                helper,
                "close",
                timeoutNanos));
        next = stuck + 1;
      }
      // Delivering the report (listeners, logging, the stack) took time: the next entry's slice
      // starts after it, or that entry would be given up before its helper even ran.
      long now = System.nanoTime();
      if (next < items.size() && now - hardEnd >= 0) {
        int left = items.size() - next;
        CloseRun rest = new CloseRun(this, items, next, true);
        rest.start(helper(c, path, rest));
        f.add(
            new TimeoutException(
                left
                    + " more of "
                    + path
                    + " left closing in the background after the close timeout"));
        f.abandonedCount += left;
        break;
      }
      long slice = now + SLICE_NANOS;
      windowEnd = slice - hardEnd < 0 ? slice : hardEnd;
    }
    for (int i = 0; i < n; i++) {
      if (!(entries[i] instanceof TaskImpl)) {
        entries[i] = null; // released, or left to a helper that holds it
      }
    }
    if (g != null) {
      long now = System.nanoTime();
      long taskEnd = now - deadline < 0 ? deadline : now + SLICE_NANOS;
      if (!awaitTasks(g, self == null ? 0 : 1, taskEnd, f)) {
        reportStuckTasks(entries, n, self, timeoutNanos, start, f);
      }
      collectTaskFailures(g, f);
      clearTasks(entries, n, self);
    }
    return f;
  }

  /** Makes a helper thread of a bounded close, known to the node as one of its closers. */
  private Thread helper(Children c, String path, CloseRun run) {
    Thread t = Thread.ofVirtual().name(path + "/closer").unstarted(run);
    synchronized (this) {
      if (c.helpers == null) {
        c.helpers = new ArrayList<>(2);
      }
      c.helpers.add(t);
    }
    return t;
  }

  /** Tasks reported one by one (with their stacks) per close; the rest are summarised. */
  static final int MAX_STUCK_REPORTS = 16;

  /** Reports the tasks still running; they have been stuck since the close cancelled them. */
  private void reportStuckTasks(
      Object[] entries, int n, TaskImpl<?> self, long timeoutNanos, long cancelledAt, Failures f) {
    String path = path();
    int reported = 0;
    int more = 0;
    for (int i = 0; i < n; i++) {
      if (entries[i] instanceof TaskImpl<?> t && t != self && !t.done) {
        if (reported == MAX_STUCK_REPORTS) {
          more++;
          continue;
        }
        reported++;
        Thread thread = t.thread;
        f.abandoned(
            Reporter.stuck(
                path,
                "task " + (thread == null ? path : thread.getName()),
                System.nanoTime() - cancelledAt,
                thread,
                "task",
                timeoutNanos));
      }
    }
    if (more > 0) {
      f.abandonedCount += more;
      TimeoutException e =
          new TimeoutException(
              more
                  + " more tasks of "
                  + path
                  + " did not stop within the close timeout (reports and stacks not kept)");
      f.add(e);
      Reporter.LOG.log(System.Logger.Level.WARNING, e.getMessage());
    }
  }

  @Override
  public String toString() {
    return "ScopeNode[" + path() + ", " + stateName() + "]";
  }

  String stateName() {
    return switch (state) {
      case OPEN -> "open";
      case CLOSED -> "closed";
      default -> "closing";
    };
  }
}
