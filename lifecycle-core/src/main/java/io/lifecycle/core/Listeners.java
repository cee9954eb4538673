package io.lifecycle.core;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * A registry of listeners for an event source, in which every listener has an owner: the
 * listener is removed when its owner {@link Scope} closes, or when its {@link Registration} is
 * closed, whichever comes first. The classic leak, a long-lived event source (a room, a bus, a
 * model) keeping every session's callback and state alive, cannot happen.
 *
 * {@snippet :
 * private final Listeners<TrackListener> trackListeners = Listeners.create("room-tracks");
 *
 * // in a job, for the job's lifetime only:
 * room.trackListeners().add(job, track -> subscribe(track));
 *
 * // in the room, firing an event:
 * trackListeners.forEach(l -> l.onTrack(track));
 * }
 *
 * <p>Listeners are called in registration order. A listener that throws does not stop the others;
 * its failure is logged once per registration at WARNING. When the number of live listeners
 * passes the warning threshold (default 1,000, or {@code io.lifecycle.listenerWarnThreshold}), a
 * WARNING is logged once, naming the registration sites that account for most of them (sites are
 * captured for sampled additions only, as for scopes: see {@link LeakLevel}).
 *
 * <p>Thread-safe. Adding and removing take a short lock and are constant time; {@link #forEach}
 * takes no lock and may run concurrently with additions and removals: it sees every listener that
 * was registered before it started and not removed before it reached it.
 *
 * <p>Implementation notes: the listeners are {@link Node}s of a doubly linked list that {@code
 * forEach} walks without the lock. A removed node keeps its {@code next}, so that a {@code forEach}
 * standing on it can go on; it is therefore never referenced from outside the list: the {@link
 * Registration} (held by the caller and by the owner) is a separate {@link Entry} that drops its
 * node when it is removed. Otherwise a stale registration would keep its listener, and through
 * {@code next} every listener removed after it, reachable.
 *
 * @param <L> the listener type
 */
public final class Listeners<L> {
  private final String name;
  private final int warnThreshold;

  /** Sentinel head of a doubly linked list; readers follow {@code next} without the lock. */
  private final Node<L> head = new Node<>(null, null);

  @GuardedBy("this")
  private Node<L> tail = head;

  @GuardedBy("this")
  private int size;

  @GuardedBy("this")
  private boolean warned;

  private Listeners(String name, int warnThreshold) {
    this.name = name;
    this.warnThreshold = warnThreshold;
  }

  /**
   * Returns an empty registry with the default warning threshold.
   *
   * @param name the registry's name, used in warnings (such as {@code "room-tracks"})
   * @throws IllegalArgumentException if {@code name} is empty
   */
  public static <L> Listeners<L> create(String name) {
    return new Listeners<>(Checks.name(name), Settings.LISTENER_WARN_THRESHOLD);
  }

  /**
   * Returns a builder for a registry with options.
   *
   * @param name the registry's name, used in warnings
   * @throws IllegalArgumentException if {@code name} is empty
   */
  public static Builder builder(String name) {
    return new Builder(Checks.name(name));
  }

  /**
   * Adds {@code listener}, owned by {@code owner}: it is removed when {@code owner} closes or when
   * the returned registration is closed (or cancelled), whichever comes first.
   *
   * @param owner the scope whose lifetime bounds the listener's
   * @param listener the listener; the same listener may be added more than once
   * @return the registration; ignoring it is the normal idiom
   * @throws ScopeClosedException if {@code owner} is closing or closed; the listener was not added
   */
  @CanIgnoreReturnValue
  public Registration add(Scope owner, L listener) {
    Checks.notNull(owner, "owner");
    Checks.notNull(listener, "listener");
    ScopeNode node = owner.node;
    LeakLevel level = node.level();
    Trace site = level == LeakLevel.DISABLED ? null : Trace.capture(level);
    Entry<L> e = new Entry<>(this, listener, node, site);
    e.count = Types.info(listener.getClass()).countIn();
    if (!node.attachListener(e)) {
      e.count.decrement();
      throw new ScopeClosedException(node.path(), "add a listener to " + name);
    }
    link(e);
    return e;
  }

  /**
   * Calls {@code action} with each live listener, in registration order, on the calling thread.
   * An exception thrown for one listener does not stop the others: an {@link Error} is rethrown
   * after the others were called; anything else is logged (once per registration).
   */
  @SuppressWarnings("ReferenceEquality") // the same Error instance must not suppress itself
  public void forEach(Consumer<? super L> action) {
    Checks.notNull(action, "action");
    Error error = null;
    for (Node<L> n = head.next; n != null; n = n.next) {
      Entry<L> e = n.entry;
      if (e.state != Entry.ACTIVE) {
        continue;
      }
      try {
        action.accept(n.listener);
      } catch (Error err) {
        if (error == null) {
          error = err;
        } else if (err != error) {
          error.addSuppressed(err);
        }
      } catch (Throwable ex) { // a RuntimeException, or a checked exception thrown sneakily
        e.failed(ex);
      }
    }
    if (error != null) {
      throw error;
    }
  }

  /** Returns the number of live listeners. */
  public synchronized int size() {
    return size;
  }

  /** Returns the registry's name. */
  public String name() {
    return name;
  }

  private void link(Entry<L> e) {
    boolean warn = false;
    synchronized (this) {
      Node<L> n = e.node;
      if (e.state != Entry.ACTIVE || n == null) {
        return; // the owner closed meanwhile and released it
      }
      n.prev = tail;
      tail.next = n;
      tail = n;
      n.linked = true;
      size++;
      if (size > warnThreshold && !warned) {
        warned = true;
        warn = true;
      }
    }
    if (warn) {
      warnGrowth();
    }
  }

  private void unlink(Entry<L> e) {
    synchronized (this) {
      Node<L> n = e.node;
      e.node = null; // the registration keeps neither the listener nor the list (see above)
      if (n == null || !n.linked) {
        return;
      }
      n.linked = false;
      Node<L> p = n.prev;
      Node<L> x = n.next;
      p.next = x;
      if (x != null) {
        x.prev = p;
      } else {
        tail = p;
      }
      n.prev = null;
      // n.next is kept, so that a forEach standing on n can go on
      size--;
    }
  }

  private void warnGrowth() {
    Map<String, Integer> sites = new TreeMap<>();
    int live = 0;
    int sampled = 0;
    for (Node<L> n = head.next; n != null; n = n.next) {
      Entry<L> e = n.entry;
      if (e.state != Entry.ACTIVE) {
        continue;
      }
      live++;
      if (e.site != null) {
        sampled++;
        sites.merge(e.site.firstFrame(), 1, Integer::sum);
      }
    }
    List<Map.Entry<String, Integer>> top = new ArrayList<>(sites.entrySet());
    top.sort((a, b) -> Integer.compare(b.getValue(), a.getValue()));
    Map<String, Integer> shown = new LinkedHashMap<>();
    for (int i = 0; i < Math.min(5, top.size()); i++) {
      shown.put(top.get(i).getKey(), top.get(i).getValue());
    }
    StringBuilder sb =
        new StringBuilder("listener registry ")
            .append(name)
            .append(" passed ")
            .append(warnThreshold)
            .append(" live listeners (")
            .append(live)
            .append("): is a listener added per job and its owner never closed?");
    if (shown.isEmpty()) {
      sb.append(" No registration site was sampled; run with -Dio.lifecycle.leakLevel=ALL.");
    } else {
      sb.append(" Top registration sites (").append(sampled).append(" sampled):");
      for (Map.Entry<String, Integer> s : shown.entrySet()) {
        sb.append("\n  ").append(s.getKey()).append(" x").append(s.getValue());
      }
    }
    Reporter.LOG.log(Level.WARNING, sb.toString());
  }

  @Override
  public String toString() {
    return "Listeners[" + name + ", " + size() + " live]";
  }

  /** Options for a {@link Listeners} registry. Setters may be called at most once. */
  public static final class Builder {
    private final String name;
    private Integer warnThreshold;

    private Builder(String name) {
      this.name = name;
    }

    /**
     * Sets the number of live listeners past which a WARNING is logged once.
     *
     * @throws IllegalArgumentException if {@code threshold} is not positive
     * @throws IllegalStateException if already set
     */
    @CanIgnoreReturnValue
    public Builder warnThreshold(int threshold) {
      Checks.unset(warnThreshold, "warnThreshold");
      warnThreshold = Checks.positive(threshold, "threshold");
      return this;
    }

    /** Returns a new empty registry. */
    public <L> Listeners<L> build() {
      return new Listeners<>(
          name, warnThreshold == null ? Settings.LISTENER_WARN_THRESHOLD : warnThreshold);
    }
  }

  /**
   * A listener in the registry's list. Referenced only by the list (and by removed nodes that a
   * {@code forEach} may still walk), never from outside it.
   */
  static final class Node<L> {
    final L listener;

    /** The registration; null for the head. */
    final Entry<L> entry;

    volatile Node<L> next;

    /** Guarded by the registry's monitor. */
    Node<L> prev;

    /** Whether the node is in the list; guarded by the registry's monitor. */
    boolean linked;

    Node(L listener, Entry<L> entry) {
      this.listener = listener;
      this.entry = entry;
    }
  }

  /**
   * One registration: an entry of the owner's children, holding its listener's {@link Node} until
   * it is removed.
   *
   * <p>{@link #state} moves once, by CAS, from ACTIVE to REMOVED, by whichever of {@link
   * #close()}, {@link #cancel()} and the owner's close comes first; the winner unlinks it.
   */
  static final class Entry<L> extends Owned implements Registration, Indexed {
    static final int ACTIVE = 0;
    static final int REMOVED = 1;
    private static final VarHandle STATE;

    static {
      try {
        STATE = MethodHandles.lookup().findVarHandle(Entry.class, "state", int.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    final Listeners<L> registry;
    final ScopeNode owner;
    final Trace site;

    /** The listener's type display name (kept: the listener itself goes with the node). */
    final String type;

    LiveCount count;

    volatile int state;

    /** The listener's node until the registration is removed, then null; guarded by registry. */
    Node<L> node;

    private int slot; // guarded by owner
    private volatile boolean failureLogged;

    Entry(Listeners<L> registry, L listener, ScopeNode owner, Trace site) {
      this.registry = registry;
      this.owner = owner;
      this.site = site;
      this.type = Types.key(listener);
      this.node = new Node<>(listener, this);
    }

    @Override
    public void close() {
      var unused = cancel();
    }

    @Override
    public boolean cancel() {
      if (STATE.compareAndSet(this, ACTIVE, REMOVED)) {
        owner.detach(this);
        registry.unlink(this);
        count.decrement();
        return true;
      }
      return false;
    }

    @Override
    void release(ScopeNode closing) {
      if (STATE.compareAndSet(this, ACTIVE, REMOVED)) {
        registry.unlink(this);
        count.decrement();
      }
    }

    void failed(Throwable e) {
      if (!failureLogged) {
        failureLogged = true;
        Reporter.LOG.log(
            Level.WARNING,
            "listener "
                + type
                + " of "
                + registry.name
                + " (owned by "
                + owner.path()
                + ") threw; further failures of this registration are not logged",
            e);
      }
    }

    @Override
    String type() {
      return type;
    }

    @Override
    public int slot() {
      return slot;
    }

    @Override
    public void slot(int slot) {
      this.slot = slot;
    }

    @Override
    public String toString() {
      return "Registration[" + type() + " in " + registry.name + " owned by " + owner.path() + "]";
    }
  }
}
