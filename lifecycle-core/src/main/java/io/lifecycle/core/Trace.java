package io.lifecycle.core;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.lang.StackWalker.StackFrame;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Where a scope (or a listener registration) was opened, and at {@link LeakLevel#PARANOID} the
 * latest accesses to it. Frames of the library itself are skipped, so the first frame is the
 * caller's.
 *
 * <p>Frames are kept as {@link StackFrame}s (cheap to capture) and turned into {@link
 * StackTraceElement}s only when a report is made.
 */
final class Trace {
  /**
   * Sized for one batch: the site's frames plus the library frames above them (Trace, ScopeNode,
   * Scope, the walk's lambda). With the default size the walk fetched a second batch from the VM,
   * which made a capture about 12% dearer than walking 8 frames (JMH, issue 6).
   */
  private static final StackWalker WALKER =
      StackWalker.getInstance(Set.of(), Settings.SITE_DEPTH + 8);
  private static final int MAX_ACCESSES = 8;

  /** Classes whose frames are never the site: the entry points of the library. */
  private static final Set<String> LIBRARY =
      Set.of(
          Trace.class.getName(),
          Scope.class.getName(),
          Scope.Builder.class.getName(),
          ScopeNode.class.getName(),
          Listeners.class.getName(),
          Listeners.Builder.class.getName());

  private final StackFrame[] site;
  private final String thread;

  @GuardedBy("this")
  private ArrayDeque<Access> accesses;

  private Trace(StackFrame[] site, String thread) {
    this.site = site;
    this.thread = thread;
  }

  /** One recorded access: what was done, and where. */
  record Access(String operation, List<StackTraceElement> frames) {}

  /**
   * Captures the caller's site if {@code level} asks for it: always at ALL and PARANOID, one time
   * in the sampling interval at SAMPLED, never at DISABLED. Returns null when not captured.
   */
  static Trace capture(LeakLevel level) {
    return switch (level) {
      case DISABLED -> null;
      case SAMPLED -> sampled() ? capture() : null;
      case ALL, PARANOID -> capture();
    };
  }

  /** Returns true once in {@link Settings#SAMPLING_INTERVAL} calls, on average. */
  static boolean sampled() {
    int interval = Settings.SAMPLING_INTERVAL;
    return interval == 1 || ThreadLocalRandom.current().nextInt(interval) == 0;
  }

  static Trace capture() {
    return new Trace(frames(), Thread.currentThread().getName());
  }

  private static StackFrame[] frames() {
    int depth = Settings.SITE_DEPTH;
    return WALKER.walk(
        s ->
            s.dropWhile(f -> LIBRARY.contains(f.getClassName()))
                .limit(depth)
                .toArray(StackFrame[]::new));
  }

  /** Records an access (PARANOID only), keeping the latest few. */
  void recordAccess(String operation) {
    Access a = new Access(operation, toElements(frames()));
    synchronized (this) {
      if (accesses == null) {
        accesses = new ArrayDeque<>(MAX_ACCESSES);
      }
      if (accesses.size() == MAX_ACCESSES) {
        accesses.removeFirst();
      }
      accesses.addLast(a);
    }
  }

  /** Returns the site, innermost frame first. */
  List<StackTraceElement> site() {
    return toElements(site);
  }

  /** Returns the name of the thread that opened the scope. */
  String thread() {
    return thread;
  }

  /** Returns the recorded accesses, oldest first. */
  synchronized List<Access> accesses() {
    return accesses == null ? List.of() : List.copyOf(accesses);
  }

  /** Returns "Class.method:line" of the first frame, or "?" when there is none. */
  String firstFrame() {
    return site.length == 0 ? "?" : shortFrame(site[0].toStackTraceElement());
  }

  static String shortFrame(StackTraceElement e) {
    String cls = e.getClassName();
    int dot = cls.lastIndexOf('.');
    String simple = dot < 0 ? cls : cls.substring(dot + 1);
    return e.getLineNumber() >= 0
        ? simple + "." + e.getMethodName() + ":" + e.getLineNumber()
        : simple + "." + e.getMethodName();
  }

  private static List<StackTraceElement> toElements(StackFrame[] frames) {
    List<StackTraceElement> out = new ArrayList<>(frames.length);
    for (StackFrame f : frames) {
      out.add(f.toStackTraceElement());
    }
    return List.copyOf(out);
  }
}
