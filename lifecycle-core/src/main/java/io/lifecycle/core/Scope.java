package io.lifecycle.core;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import com.google.errorprone.annotations.DoNotMock;
import com.google.errorprone.annotations.MustBeClosed;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeoutException;

/**
 * An owner of resources: closing it releases everything it owns, in reverse order, even when some
 * of them fail or hang.
 *
 * <p>A scope owns {@linkplain #own(AutoCloseable) resources}, {@linkplain #onClose(Cleanup) cleanup
 * actions}, {@linkplain #child(String) child scopes} and {@linkplain #fork(Callable) tasks}. Scopes
 * form a tree: a job's scope is a child of its worker's, which is a child of the application's.
 * Closing a scope closes its subtree; closing a child early detaches it from its parent in
 * constant time, so a long-lived parent does not grow.
 *
 * {@snippet :
 * try (Scope job = worker.child("job")) {
 *   AudioStream stream = job.own(room.openStream());   // closed when the job ends
 *   room.listeners().add(job, this::onTrack);          // removed when the job ends
 *   job.fork(() -> pollStats(stream));                  // cancelled when the job ends
 *   runCall(stream);
 * } // closes the poller's task, the listener, the stream: in that order
 * }
 *
 * <h2>Close</h2>
 *
 * <p>{@link #close()} cancels (interrupts) the scope's running tasks, gives them a short grace
 * (100 ms by default) to stop, releases everything else in reverse order of registration, then
 * waits for the remaining tasks. Releasing a resource that a stuck task waits on is what unblocks
 * it; the order is built in. Every release runs even when earlier ones throw; failures are
 * collected into one {@link CloseFailedException}. By default the close runs inline on the
 * caller's thread and starts no thread; a scope with a {@linkplain Builder#closeTimeout close
 * timeout} returns within that timeout plus about a second even when a release never returns:
 * the stuck release is abandoned on its own thread and reported ({@link StuckReport}).
 *
 * <p>Close is idempotent and thread-safe: a second caller returns when the first has finished. A
 * re-entrant close (from the closing thread, from an owned resource's close, from one of the
 * scope's own tasks) returns at once and never deadlocks.
 *
 * <h2>Leaks</h2>
 *
 * <p>A scope that becomes unreachable without being closed is found by the garbage collector (see
 * {@link LeakLevel}): it is reported to the {@link LeakListener}s, to the logger and to JFR, with
 * the place it was opened when that was captured, and what it owned is closed as a safety net.
 * Only the topmost leaked scope of a subtree is reported. The library never holds a reference to
 * the {@code Scope} object itself, only to its internal state.
 *
 * <p><b>Limit:</b> a scope referenced from its own tasks, cleanup actions or owned resources stays
 * reachable through them and cannot be found by the collector; {@link Lifecycle#openScopes()} and
 * {@link Lifecycle#dump()} still show it.
 *
 * <h2>Thread safety and memory effects</h2>
 *
 * <p>Every method may be called from any thread. Actions in a thread before it hands a resource
 * to {@code own} (or an action to {@code onClose}) happen-before that resource's release. Actions
 * of a task happen-before a {@code join} that returns after the task finished.
 *
 * <p>Every method throws {@link NullPointerException}, naming the argument, when passed {@code
 * null}.
 */
@DoNotMock("Use a real Scope: it is cheap, and Lifecycle.openScopes() shows what it holds")
public final class Scope implements AutoCloseable {
  final ScopeNode node;

  Scope(
      String name,
      ScopeNode parent,
      ScopeConfig config,
      LeakLevel level,
      Trace trace,
      LiveCount count,
      int stripe) {
    this.node = new ScopeNode(this, name, parent, config, level, trace, count, stripe);
  }

  /**
   * Opens a root scope, to be closed by the caller; use a try-with-resources block. For a scope
   * that outlives a block (held in a field by a server), use {@link #builder(String)}.
   *
   * @param name the scope's name: the last element of its path, and its key in {@link
   *     Lifecycle#snapshot()} (keep names low-cardinality, like metric names)
   * @return the open scope
   * @throws IllegalArgumentException if {@code name} is empty
   */
  @MustBeClosed
  public static Scope open(String name) {
    return ScopeNode.open(Checks.name(name), null, ScopeConfig.DEFAULT);
  }

  /**
   * Returns a builder for a scope with options (close timeout, leak level, thread factory, join
   * policy), opened as a root with {@link Builder#open()} or as a child with {@link
   * Builder#openIn(Scope)}.
   *
   * @param name the scope's name (see {@link #open(String)})
   * @throws IllegalArgumentException if {@code name} is empty
   */
  public static Builder builder(String name) {
    return new Builder(Checks.name(name));
  }

  /**
   * Opens a scope owned by this one, for a shorter lifetime (a request, a job, a call). Closing
   * the child releases what it owns and detaches it from this scope; closing this scope closes
   * the child. A child dropped without close is a leak, like a root.
   *
   * @param name the child's name
   * @return the open child
   * @throws ScopeClosedException if this scope is closing or closed
   * @throws IllegalArgumentException if {@code name} is empty
   */
  @MustBeClosed
  public Scope child(String name) {
    return ScopeNode.open(Checks.name(name), node, node.config.childConfig);
  }

  /**
   * Makes this scope own {@code resource}: it is closed when the scope closes, in reverse order
   * of registration. Known JDK types are released through their {@link ResourceAdapter} instead
   * of their own {@code close()}: an {@link java.util.concurrent.ExecutorService} is shut down and
   * awaited within a bound, then shut down now.
   *
   * <p>{@code own} does not deduplicate: a resource owned twice is closed twice. A resource that
   * must be released before the scope closes belongs in a {@linkplain #child child scope}, or
   * behind {@link #onClose(Cleanup)}'s {@link Registration}.
   *
   * @param resource the resource to own
   * @return {@code resource}
   * @throws ScopeClosedException if this scope is closing or closed; {@code resource} has then
   *     been closed (a failure of that close is suppressed in the exception)
   * @throws IllegalArgumentException if {@code resource} is this scope or one of its ancestors
   */
  @CanIgnoreReturnValue
  public <T extends AutoCloseable> T own(T resource) {
    Checks.notNull(resource, "resource");
    if (resource instanceof Scope s && node.hasAncestorOrSelf(s.node)) {
      throw new IllegalArgumentException(
          "scope " + path() + " cannot own " + s.path() + ": that would make it its own ancestor");
    }
    if (resource instanceof ScheduledThreadPoolExecutor e) {
      Adapters.knowScheduler(e);
    }
    node.ownPlain(resource);
    return resource;
  }

  /**
   * Makes this scope own a resource that is not {@link AutoCloseable} but has a {@link
   * ResourceAdapter}: a {@link Thread} (interrupted and joined with a bound), a {@link
   * java.util.concurrent.Future} (cancelled), a {@link java.util.Timer} (cancelled), a {@link
   * java.util.concurrent.ScheduledFuture} (cancelled and purged), or a type with a registered
   * adapter.
   *
   * @param resource the resource to own
   * @return {@code resource}
   * @throws IllegalArgumentException if no adapter releases {@code resource}'s type (use {@link
   *     #own(Object, Releaser)})
   * @throws ScopeClosedException if this scope is closing or closed; {@code resource} has then
   *     been released
   */
  @CanIgnoreReturnValue
  public <T> T own(T resource) {
    Checks.notNull(resource, "resource");
    if (resource instanceof AutoCloseable c) {
      own(c);
      return resource;
    }
    if (Adapters.find(resource) == null) {
      throw new IllegalArgumentException(
          "no ResourceAdapter releases "
              + resource.getClass().getName()
              + ": own it with own(resource, releaser), or register an adapter");
    }
    node.ownPlain(resource);
    return resource;
  }

  /**
   * Makes this scope own {@code resource}, released by {@code releaser} when the scope closes: a
   * listener to remove, a native handle to free, a lease to return.
   *
   * @param resource the resource to own
   * @param releaser releases it, at most once
   * @return {@code resource}
   * @throws ScopeClosedException if this scope is closing or closed; {@code resource} has then
   *     been released
   */
  @CanIgnoreReturnValue
  public <T> T own(T resource, Releaser<? super T> releaser) {
    Checks.notNull(resource, "resource");
    Checks.notNull(releaser, "releaser");
    node.own(resource, releaser);
    return resource;
  }

  /**
   * Registers {@code action} to run when this scope closes, in reverse order of registration with
   * everything else the scope owns. Closing the returned registration runs the action at once and
   * deregisters it; cancelling it deregisters it without running it. Either removes it from this
   * scope in constant time.
   *
   * @param action the action to run
   * @return the registration; ignoring it is the normal idiom
   * @throws ScopeClosedException if this scope is closing or closed; {@code action} has then run
   */
  @CanIgnoreReturnValue
  public Registration onClose(Cleanup action) {
    Checks.notNull(action, "action");
    return node.onClose(action);
  }

  /**
   * Runs {@code body} on a new thread owned by this scope: by default a virtual thread named after
   * the scope's path. Any thread may fork into an open scope.
   *
   * <p>The task is cancelled (interrupted) when the scope closes. Under the default {@link
   * JoinPolicy#FAIL_FAST}, a failing task cancels its running siblings, and until the next {@link
   * #join()} returns, a fork returns a task that is already cancelled and never runs (logged once
   * per round at WARNING). A scope whose tasks are never joined (fire-and-forget work on a
   * long-lived scope) should use {@link JoinPolicy#COLLECT_ALL}: one failure then never stops
   * later forks.
   *
   * @param body the work; its result is the task's
   * @return the task
   * @throws ScopeClosedException if this scope is closing or closed; nothing was started
   * @throws RuntimeException (or {@code Error}) as thrown by the thread factory or {@link
   *     Thread#start()} when the thread cannot be made or started; the task then never ran, and
   *     its siblings go on
   */
  @CanIgnoreReturnValue
  public <T> Task<T> fork(Callable<? extends T> body) {
    Checks.notNull(body, "body");
    return node.fork(body);
  }

  /**
   * Runs {@code body}, which returns nothing, on a new thread owned by this scope; see {@link
   * #fork(Callable)}.
   *
   * @param body the work
   * @return the task; its result is {@code null}
   * @throws ScopeClosedException if this scope is closing or closed; nothing was started
   */
  @CanIgnoreReturnValue
  public Task<Void> fork(Action body) {
    Checks.notNull(body, "body");
    return node.fork(
        () -> {
          body.run();
          return null;
        });
  }

  /**
   * Waits for every task forked into this scope before the call (by any thread) to finish. May be
   * called by any thread, more than once; a task calling it does not wait for itself.
   *
   * <p>Under {@link JoinPolicy#FAIL_FAST} it throws at the first failure, once the other tasks have
   * been cancelled (they may still be stopping); under {@link JoinPolicy#COLLECT_ALL} it waits for
   * all and then throws if any failed. The failures it throws are observed: the scope's close no
   * longer reports them, and every joiner of the round that failed throws the same exception. A
   * join ends the round: after it, forks run again. A failure already observed through {@link
   * Task#exception()} is not thrown again. On a closed scope, join returns at once (the close
   * reported what no join observed).
   *
   * @throws TaskFailedException if a task failed: the first failure as cause, later ones
   *     suppressed
   * @throws InterruptedException if the calling thread is interrupted while waiting; the tasks
   *     keep running
   */
  public void join() throws InterruptedException {
    try {
      node.join(-1);
    } catch (TimeoutException e) {
      throw new AssertionError("an unbounded join timed out", e);
    }
  }

  /**
   * Like {@link #join()}, but waits at most {@code timeout}: when it passes, the tasks still
   * running are cancelled and {@link TimeoutException} is thrown.
   *
   * @param timeout how long to wait
   * @throws TaskFailedException if a task failed
   * @throws TimeoutException if the timeout passed first
   * @throws InterruptedException if the calling thread is interrupted while waiting
   * @throws IllegalArgumentException if {@code timeout} is negative
   */
  public void join(Duration timeout) throws InterruptedException, TimeoutException {
    Checks.notNegative(timeout, "timeout");
    node.join(Checks.saturatedNanos(timeout));
  }

  /** Returns whether this scope is open: not closing, not closed. */
  public boolean isOpen() {
    return node.isOpen();
  }

  /** Returns this scope's name. */
  public String name() {
    return node.name;
  }

  /** Returns this scope's path: the names from the root down, such as {@code "app/room/job"}. */
  public String path() {
    return node.path();
  }

  /**
   * Closes this scope: cancels its tasks, releases what it owns in reverse order, closes its
   * children, and waits for its tasks (see the class documentation). Idempotent; a concurrent
   * second call returns when the first has finished; a re-entrant call returns at once. The
   * calling thread's interrupt flag is kept.
   *
   * @throws CloseFailedException if a release failed, a release or task was abandoned at the close
   *     timeout, or a task failure was never observed by a join; everything else has still been
   *     released
   * @throws Error if a release threw an {@code Error}, after everything else has been released
   */
  @Override
  public void close() {
    node.close();
  }

  /** Returns "Scope[app/room/job, open]". */
  @Override
  public String toString() {
    return "Scope[" + node.path() + ", " + node.stateName() + "]";
  }

  /**
   * Options for one scope. Each setter may be called at most once. Not thread-safe; a builder may
   * be reused to open several scopes.
   */
  public static final class Builder {
    private final String name;
    private Duration closeTimeout;
    private Duration taskGrace;
    private LeakLevel leakLevel;
    private ThreadFactory threadFactory;
    private JoinPolicy joinPolicy;

    private Builder(String name) {
      this.name = name;
    }

    /**
     * Bounds the scope's {@link Scope#close()}: it returns within {@code timeout} plus about a
     * second, abandoning (and reporting) any release or task that overruns. Without it, the
     * runtime-wide {@code io.lifecycle.closeTimeout} applies, and when that is unset the close
     * runs inline, unbounded.
     *
     * @throws IllegalArgumentException if {@code timeout} is not positive
     * @throws IllegalStateException if already set
     */
    @CanIgnoreReturnValue
    public Builder closeTimeout(Duration timeout) {
      Checks.unset(closeTimeout, "closeTimeout");
      closeTimeout = Checks.positive(timeout, "timeout");
      return this;
    }

    /**
     * Sets how long a close waits for cancelled tasks before releasing resources (default 100 ms,
     * or {@code io.lifecycle.taskGrace}).
     *
     * @throws IllegalArgumentException if {@code grace} is negative
     * @throws IllegalStateException if already set
     */
    @CanIgnoreReturnValue
    public Builder taskGrace(Duration grace) {
      Checks.unset(taskGrace, "taskGrace");
      taskGrace = Checks.notNegative(grace, "grace");
      return this;
    }

    /**
     * Sets the scope's own leak level, also used by the children opened with {@link
     * Scope#child(String)}; by default they follow {@link Lifecycle#leakLevel()}.
     *
     * @throws IllegalStateException if already set
     */
    @CanIgnoreReturnValue
    public Builder leakLevel(LeakLevel level) {
      Checks.unset(leakLevel, "leakLevel");
      leakLevel = Checks.notNull(level, "level");
      return this;
    }

    /**
     * Sets the factory of the threads that run forked tasks (default: virtual threads named after
     * the scope's path). The factory must return an unstarted thread that runs the given task.
     *
     * @throws IllegalStateException if already set
     */
    @CanIgnoreReturnValue
    public Builder threadFactory(ThreadFactory factory) {
      Checks.unset(threadFactory, "threadFactory");
      threadFactory = Checks.notNull(factory, "factory");
      return this;
    }

    /**
     * Sets what {@link Scope#join()} does when a task fails (default {@link
     * JoinPolicy#FAIL_FAST}).
     *
     * @throws IllegalStateException if already set
     */
    @CanIgnoreReturnValue
    public Builder joinPolicy(JoinPolicy policy) {
      Checks.unset(joinPolicy, "joinPolicy");
      joinPolicy = Checks.notNull(policy, "policy");
      return this;
    }

    private ScopeConfig config() {
      if (closeTimeout == null
          && taskGrace == null
          && leakLevel == null
          && threadFactory == null
          && joinPolicy == null) {
        return ScopeConfig.DEFAULT;
      }
      return new ScopeConfig(
          closeTimeout == null
              ? Settings.CLOSE_TIMEOUT_NANOS
              : Checks.saturatedNanos(closeTimeout),
          taskGrace == null ? Settings.TASK_GRACE_NANOS : Checks.saturatedNanos(taskGrace),
          threadFactory,
          joinPolicy == null ? JoinPolicy.FAIL_FAST : joinPolicy,
          leakLevel);
    }

    /**
     * Opens a root scope with these options. Unlike {@link Scope#open(String)}, the result is not
     * marked {@code @MustBeClosed}: this is the factory for scopes that outlive a block (a server's
     * root, held in a field and closed by the server's own close). The leak detector still reports
     * one that is dropped.
     */
    public Scope open() {
      return ScopeNode.open(name, null, config());
    }

    /**
     * Opens a child of {@code parent} with these options (see {@link Scope#child(String)}).
     *
     * @throws ScopeClosedException if {@code parent} is closing or closed
     */
    public Scope openIn(Scope parent) {
      Checks.notNull(parent, "parent");
      return ScopeNode.open(name, parent.node, config());
    }
  }
}
