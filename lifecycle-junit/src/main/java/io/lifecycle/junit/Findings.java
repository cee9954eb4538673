package io.lifecycle.junit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What one check found, and the failure message that reports it.
 *
 * <p>The message is the product. Its first line leads with the cause and names the first culprit
 * of each kind, so that a CI summary that shows one line still says what leaked and where:
 *
 * <pre>
 * 1 scope leaked: job (opened at Worker.run:42) still owns AudioStream x1; 1 thread still running: poller (platform)
 * </pre>
 *
 * <p>Then one aligned section per kind: leaked scopes (path, state, age, what they own, where
 * they were opened), scopes opened before the test that own more than they did, and threads
 * still running (name, id, platform or virtual, state, stack). Every list is bounded ({@value
 * #MAX_ENTRIES} entries per section, {@value #MAX_FRAMES} frames per stack, {@value
 * #MAX_SITE_FRAMES} per allocation site), so a test that leaks a thousand scopes still reports
 * in a screenful; an allocation site stops at the first frame of the test harness or of
 * reflection. Immutable.
 */
final class Findings {
  static final int MAX_ENTRIES = 10;
  static final int MAX_FRAMES = 8;
  static final int MAX_SITE_FRAMES = 4;
  private static final int MAX_HEADLINE_THREADS = 3;

  /** How a leaked scope was found. */
  enum State {
    /** Still open after the test. */
    OPEN("open"),
    /** Still closing after the test: a close is stuck. */
    CLOSING("closing"),
    /** Dropped without close: found by the garbage collector, closed by the safety net. */
    DROPPED("dropped");

    final String label;

    State(String label) {
      this.label = label;
    }
  }

  /**
   * A scope the test opened and did not close: the topmost of its subtree, with what the subtree
   * owns.
   */
  record LeakedScope(
      State state,
      String path,
      Duration age,
      List<StackTraceElement> site,
      Map<String, Integer> owned,
      int descendantScopes,
      int tasks,
      String cleanupFailure) {
    LeakedScope {
      site = List.copyOf(site);
      owned = Map.copyOf(owned);
    }
  }

  /** A scope opened before the test that owns more resources after it. */
  record GrownScope(
      String path, Duration age, List<StackTraceElement> site, Map<String, Integer> gained) {
    GrownScope {
      site = List.copyOf(site);
      gained = Map.copyOf(gained);
    }
  }

  /** A thread the test started that was still running after the linger. */
  record LeakedThread(
      long tid,
      String name,
      boolean virtual,
      String state,
      List<String> stack,
      String taskOf) {
    LeakedThread {
      stack = List.copyOf(stack);
    }

    /** Returns the name, or "#id" for an unnamed thread. */
    String label() {
      return name.isEmpty() ? "#" + tid : name;
    }
  }

  final List<LeakedScope> scopes;
  final List<GrownScope> grown;
  final List<LeakedThread> threads;
  private final Duration threadsSeenAfter;
  private final String caveat;

  /**
   * @param threadsSeenAfter how long after the test the threads were last seen running (the
   *     linger, or longer when settling the collector took longer), for the message
   * @param caveat what the check could not see (printed last), or null
   */
  Findings(
      List<LeakedScope> scopes,
      List<GrownScope> grown,
      List<LeakedThread> threads,
      Duration threadsSeenAfter,
      String caveat) {
    this.scopes = List.copyOf(scopes);
    this.grown = List.copyOf(grown);
    this.threads = List.copyOf(threads);
    this.threadsSeenAfter = threadsSeenAfter;
    this.caveat = caveat;
  }

  boolean isEmpty() {
    return scopes.isEmpty() && grown.isEmpty() && threads.isEmpty();
  }

  /**
   * Returns what the check could not see (the JDK's thread dump was unavailable), whether or not
   * anything leaked.
   */
  Optional<String> caveat() {
    return Optional.ofNullable(caveat);
  }

  /** Returns the failure message; empty when nothing leaked. */
  String message() {
    if (isEmpty()) {
      return "";
    }
    StringBuilder sb = new StringBuilder(1024);
    headline(sb);
    if (!scopes.isEmpty()) {
      scopeSection(sb);
    }
    if (!grown.isEmpty()) {
      grownSection(sb);
    }
    if (!threads.isEmpty()) {
      threadSection(sb);
    }
    if (caveat != null) {
      sb.append("\nnote: ").append(caveat).append('\n');
    }
    return sb.toString().stripTrailing();
  }

  // ---------------------------------------------------------------------------------------------
  // The first line
  // ---------------------------------------------------------------------------------------------

  private void headline(StringBuilder sb) {
    String sep = "";
    if (!scopes.isEmpty()) {
      sb.append(count(scopes.size(), "scope", "scopes")).append(" leaked: ");
      summary(sb, scopes.get(0));
      more(sb, scopes.size() - 1);
      sep = "; ";
    }
    if (!grown.isEmpty()) {
      GrownScope g = grown.get(0);
      sb.append(sep)
          .append(count(grown.size(), "scope", "scopes"))
          .append(" opened before the test grew: ")
          .append(g.path());
      openedAt(sb, g.site());
      sb.append(" gained ").append(types(g.gained()));
      more(sb, grown.size() - 1);
      sep = "; ";
    }
    if (!threads.isEmpty()) {
      sb.append(sep).append(count(threads.size(), "thread", "threads")).append(" still running: ");
      int shown = Math.min(threads.size(), MAX_HEADLINE_THREADS);
      for (int i = 0; i < shown; i++) {
        LeakedThread t = threads.get(i);
        sb.append(i == 0 ? "" : ", ")
            .append(t.label())
            .append(t.virtual() ? " (virtual)" : " (platform)");
      }
      more(sb, threads.size() - shown);
    }
    sb.append('\n');
  }

  private static void summary(StringBuilder sb, LeakedScope s) {
    sb.append(s.path());
    openedAt(sb, s.site());
    String owned = owned(s);
    switch (s.state()) {
      case OPEN -> sb.append(owned.isEmpty() ? " is still open" : " still owns " + owned);
      case CLOSING -> sb.append(" is still closing").append(owned.isEmpty() ? "" : ", owning " + owned);
      case DROPPED ->
          sb.append(" was dropped without close")
              .append(owned.isEmpty() ? "" : ", still owning " + owned);
    }
  }

  private static void openedAt(StringBuilder sb, List<StackTraceElement> site) {
    if (!site.isEmpty()) {
      sb.append(" (opened at ").append(shortFrame(site.get(0))).append(')');
    }
  }

  private static void more(StringBuilder sb, int more) {
    if (more > 0) {
      sb.append(" [+").append(more).append(" more]");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Sections
  // ---------------------------------------------------------------------------------------------

  private void scopeSection(StringBuilder sb) {
    sb.append("\nleaked scopes (").append(scopes.size()).append("):\n");
    List<LeakedScope> shown = scopes.subList(0, Math.min(scopes.size(), MAX_ENTRIES));
    int pathWidth = 0;
    int stateWidth = 0;
    int ageWidth = 0;
    for (LeakedScope s : shown) {
      pathWidth = Math.max(pathWidth, s.path().length());
      stateWidth = Math.max(stateWidth, s.state().label.length());
      ageWidth = Math.max(ageWidth, duration(s.age()).length());
    }
    boolean anyDropped = false;
    for (LeakedScope s : shown) {
      anyDropped |= s.state() == State.DROPPED;
      String owned = owned(s);
      sb.append("  ")
          .append(pad(s.path(), pathWidth))
          .append("  ")
          .append(pad(s.state().label, stateWidth))
          .append("  age ")
          .append(padLeft(duration(s.age()), ageWidth))
          .append("  ");
      sb.append(s.state() == State.DROPPED ? "owned " : "owns ")
          .append(owned.isEmpty() ? "nothing" : owned);
      if (s.cleanupFailure() != null) {
        sb.append(" (its cleanup failed: ").append(s.cleanupFailure()).append(')');
      }
      sb.append('\n');
      site(sb, s.site());
    }
    omitted(sb, scopes.size() - shown.size());
    if (anyDropped) {
      sb.append(
          "  (dropped: unreachable without close(), found by the garbage collector; the library"
              + " has closed what it owned)\n");
    }
  }

  private void grownSection(StringBuilder sb) {
    sb.append("\nscopes opened before the test that own more after it (")
        .append(grown.size())
        .append("):\n");
    List<GrownScope> shown = grown.subList(0, Math.min(grown.size(), MAX_ENTRIES));
    int pathWidth = 0;
    int ageWidth = 0;
    for (GrownScope g : shown) {
      pathWidth = Math.max(pathWidth, g.path().length());
      ageWidth = Math.max(ageWidth, duration(g.age()).length());
    }
    for (GrownScope g : shown) {
      sb.append("  ")
          .append(pad(g.path(), pathWidth))
          .append("  age ")
          .append(padLeft(duration(g.age()), ageWidth))
          .append("  gained ")
          .append(types(g.gained()))
          .append('\n');
      site(sb, g.site());
    }
    omitted(sb, grown.size() - shown.size());
  }

  private void threadSection(StringBuilder sb) {
    sb.append("\nthreads still running ")
        .append(duration(threadsSeenAfter))
        .append(" after the test (")
        .append(threads.size())
        .append("):\n");
    List<LeakedThread> shown = threads.subList(0, Math.min(threads.size(), MAX_ENTRIES));
    int nameWidth = 0;
    int stateWidth = 0;
    for (LeakedThread t : shown) {
      nameWidth = Math.max(nameWidth, threadName(t).length());
      stateWidth = Math.max(stateWidth, t.state() == null ? 0 : t.state().length());
    }
    for (LeakedThread t : shown) {
      StringBuilder line = new StringBuilder("  ");
      line.append(pad(threadName(t), nameWidth))
          .append("  ")
          .append(t.virtual() ? "virtual " : "platform")
          .append("  ")
          .append(pad(t.state() == null ? "" : t.state(), stateWidth));
      if (t.taskOf() != null) {
        line.append("  task of scope ").append(t.taskOf());
      }
      sb.append(line.toString().stripTrailing()).append('\n');
      List<String> stack = t.stack();
      if (stack.isEmpty()) {
        sb.append("      (no stack: not started, or not mounted)\n");
      }
      int frames = Math.min(stack.size(), MAX_FRAMES);
      for (int i = 0; i < frames; i++) {
        sb.append("      at ").append(stack.get(i)).append('\n');
      }
      if (stack.size() > frames) {
        sb.append("      ... ").append(stack.size() - frames).append(" more\n");
      }
    }
    omitted(sb, threads.size() - shown.size());
  }

  private static String threadName(LeakedThread t) {
    return "\"" + t.name() + "\" #" + t.tid();
  }

  private static void site(StringBuilder sb, List<StackTraceElement> site) {
    if (site.isEmpty()) {
      sb.append("      opened at: not captured (opened at a leak level below ALL)\n");
      return;
    }
    int frames = 1;
    while (frames < Math.min(site.size(), MAX_SITE_FRAMES) && !isHarness(site.get(frames))) {
      frames++;
    }
    for (int i = 0; i < frames; i++) {
      sb.append(i == 0 ? "      opened at " : "                ").append(site.get(i)).append('\n');
    }
  }

  /** Packages of the test harness and of reflection: below the user's code, never the cause. */
  private static final List<String> HARNESS =
      List.of(
          "org.junit.",
          "org.apache.maven.surefire.",
          "org.gradle.",
          "jdk.internal.reflect.",
          "java.lang.reflect.",
          "sun.reflect.");

  private static boolean isHarness(StackTraceElement e) {
    String cls = e.getClassName();
    for (String prefix : HARNESS) {
      if (cls.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  private static void omitted(StringBuilder sb, int omitted) {
    if (omitted > 0) {
      sb.append("  ... and ").append(omitted).append(" more\n");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Text helpers
  // ---------------------------------------------------------------------------------------------

  /** "AudioStream x1, 2 scopes, 1 task": what a leaked subtree owns. */
  static String owned(LeakedScope s) {
    StringBuilder sb = new StringBuilder(types(s.owned()));
    if (s.descendantScopes() > 0) {
      sb.append(sb.isEmpty() ? "" : ", ")
          .append(count(s.descendantScopes(), "child scope", "child scopes"));
    }
    if (s.tasks() > 0) {
      sb.append(sb.isEmpty() ? "" : ", ").append(count(s.tasks(), "task", "tasks"));
    }
    return sb.toString();
  }

  /** "AudioStream x1, Socket x2", sorted by type. */
  static String types(Map<String, Integer> counts) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, Integer> e : new TreeMap<>(counts).entrySet()) {
      sb.append(sb.isEmpty() ? "" : ", ").append(e.getKey()).append(" x").append(e.getValue());
    }
    return sb.toString();
  }

  static String count(int n, String one, String many) {
    return n + " " + (n == 1 ? one : many);
  }

  /** "Worker.run:42": the simple class name (nested classes kept), method and line. */
  static String shortFrame(StackTraceElement e) {
    String cls = e.getClassName();
    String simple = cls.substring(cls.lastIndexOf('.') + 1);
    return e.getLineNumber() >= 0
        ? simple + "." + e.getMethodName() + ":" + e.getLineNumber()
        : simple + "." + e.getMethodName();
  }

  /** "850 ms", "2.5 s", "3 min 4 s", "2 h 5 min". */
  static String duration(Duration d) {
    long ms = d.toMillis();
    if (ms < 1_000) {
      return ms + " ms";
    }
    if (ms < 60_000) {
      long tenths = ms / 100;
      return tenths % 10 == 0 ? tenths / 10 + " s" : tenths / 10 + "." + tenths % 10 + " s";
    }
    long s = ms / 1_000;
    if (s < 3_600) {
      return s / 60 + " min " + s % 60 + " s";
    }
    return s / 3_600 + " h " + s % 3_600 / 60 + " min";
  }

  private static String pad(String s, int width) {
    return s.length() >= width ? s : s + " ".repeat(width - s.length());
  }

  private static String padLeft(String s, int width) {
    return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
  }

  /** For tests and logs: the message. */
  @Override
  public String toString() {
    return isEmpty() ? "no leaks" : message();
  }

  static List<String> frames(StackTraceElement[] stack) {
    List<String> out = new ArrayList<>(stack.length);
    for (StackTraceElement e : stack) {
      out.add(e.toString());
    }
    return out;
  }
}
