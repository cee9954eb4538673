package io.lifecycle.junit;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The JDK's own list of threads, virtual ones included: {@code
 * HotSpotDiagnosticMXBean.dumpThreads(file, JSON)} (JDK 21+, module {@code jdk.management}),
 * read back and parsed by {@link Json}.
 *
 * <p>Virtual threads are not in {@link Thread#getAllStackTraces()}; the thread dump is the only
 * public place that lists those started outside a scope ({@code Thread.ofVirtual().start(...)}).
 * It lists them when the JDK tracks all threads, which is its default ({@code
 * -Djdk.trackAllThreads=false} turns that off).
 *
 * <p>The dump is optional: when {@code jdk.management} is absent from the runtime image, the
 * method is unsupported, or the format is not understood, {@link #take()} returns empty from then
 * on, for every check of the JVM (a failure of that kind does not go away, and trying again would
 * cost a dump per check). That is never silent: the reason is logged once at WARNING, and every
 * check that goes without the dump says so ({@link Findings#caveat()}: a {@code note:} line of a
 * failure message, the report entry {@code lifecycle.note} of a passing test). A failure to write
 * or read the temporary file is not final: that dump is skipped, the next one tried. Thread-safe.
 */
final class ThreadDump {
  static final System.Logger LOG = System.getLogger("io.lifecycle.junit");

  /** One thread of the dump. */
  record Entry(long tid, String name, Optional<Boolean> virtual, String state, List<String> stack) {
    Entry {
      stack = List.copyOf(stack);
    }
  }

  /** Produces the dump's JSON text; the seam that tests replace. */
  @FunctionalInterface
  interface Source {
    String dumpJson() throws Exception;
  }

  /** The JDK's dump, shared by every check in the JVM. */
  static final ThreadDump JDK = new ThreadDump(ThreadDump::jdkJson);

  private final Source source;

  /** Set once the dump has failed in a way that will not change (absent, unsupported, unparsable). */
  private volatile String unavailable;

  ThreadDump(Source source) {
    this.source = source;
  }

  /**
   * Returns the threads the JDK lists now, or empty when the dump is unavailable (the failure
   * that makes it unavailable is logged once at WARNING, later calls return empty at once).
   */
  Optional<List<Entry>> take() {
    if (unavailable != null) {
      return Optional.empty();
    }
    String json;
    try {
      json = source.dumpJson();
    } catch (LinkageError | UnsupportedOperationException | SecurityException e) {
      giveUp("the JDK offers no thread dump (" + e + ")");
      return Optional.empty();
    } catch (Exception e) {
      // an I/O hiccup on the temporary file: skip this dump, try again next time
      LOG.log(Level.DEBUG, "could not take a thread dump", e);
      return Optional.empty();
    }
    try {
      return Optional.of(parse(json));
    } catch (IllegalArgumentException | ClassCastException e) {
      giveUp("the JDK's thread dump format is not understood (" + e.getMessage() + ")");
      return Optional.empty();
    }
  }

  /**
   * Returns a fresh JSON thread dump of this JVM. Its own method, calling into a class of its own,
   * so that a runtime without {@code jdk.management} fails only when a dump is asked for.
   *
   * @throws IOException if the temporary file cannot be written or read
   * @throws UnsupportedOperationException if the JVM has no {@code HotSpotDiagnosticMXBean}
   * @throws LinkageError if the runtime image lacks {@code jdk.management}
   */
  static String jdkJson() throws IOException {
    return JdkSource.dump();
  }

  /** Returns why the dump is unavailable, once it has failed for good. */
  Optional<String> unavailableReason() {
    return Optional.ofNullable(unavailable);
  }

  private void giveUp(String reason) {
    synchronized (this) {
      if (unavailable != null) {
        return;
      }
      unavailable = reason;
    }
    LOG.log(
        Level.WARNING,
        "leak checks cannot see virtual threads started outside scopes from now on: {0} (Java"
            + " {1}); each check says so in a note",
        reason,
        Runtime.version());
  }

  /**
   * Parses the JSON thread dump format of JDK 21 and later: {@code threadDump.threadContainers[]
   * .threads[]} with {@code tid}, {@code name}, {@code stack}, and from JDK 24 on {@code state}
   * and {@code virtual}. Unknown members are ignored.
   *
   * @throws IllegalArgumentException if the text is not JSON or lacks the expected structure
   */
  static List<Entry> parse(String json) {
    Object root = Json.parse(json);
    Map<?, ?> dump = asMap(member(asMap(root, "document"), "threadDump"), "threadDump");
    List<Entry> out = new ArrayList<>();
    for (Object c : asList(member(dump, "threadContainers"), "threadContainers")) {
      Object threads = asMap(c, "thread container").get("threads");
      if (threads == null) {
        continue;
      }
      for (Object t : asList(threads, "threads")) {
        Map<?, ?> thread = asMap(t, "thread");
        long tid = tid(member(thread, "tid"));
        Object name = thread.get("name");
        Object virtual = thread.get("virtual");
        Object state = thread.get("state");
        List<String> stack = new ArrayList<>();
        Object frames = thread.get("stack");
        if (frames != null) {
          for (Object f : asList(frames, "stack")) {
            stack.add(String.valueOf(f));
          }
        }
        out.add(
            new Entry(
                tid,
                name == null ? "" : String.valueOf(name),
                virtual instanceof Boolean b ? Optional.of(b) : Optional.empty(),
                state == null ? null : String.valueOf(state),
                stack));
      }
    }
    return out;
  }

  private static long tid(Object value) {
    if (value instanceof String s) {
      try {
        return Long.parseLong(s);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("thread id is not a number: " + s, e);
      }
    }
    if (value instanceof Double d) {
      return d.longValue();
    }
    throw new IllegalArgumentException("thread id is not a number: " + value);
  }

  private static Object member(Map<?, ?> map, String name) {
    Object v = map.get(name);
    if (v == null) {
      throw new IllegalArgumentException("missing member '" + name + "'");
    }
    return v;
  }

  private static Map<?, ?> asMap(Object value, String what) {
    if (value instanceof Map<?, ?> m) {
      return m;
    }
    throw new IllegalArgumentException(what + " is not an object");
  }

  private static List<?> asList(Object value, String what) {
    if (value instanceof List<?> l) {
      return l;
    }
    throw new IllegalArgumentException(what + " is not an array");
  }

  // ---------------------------------------------------------------------------------------------
  // The JDK source: its own class, so that a runtime without jdk.management fails only here
  // ---------------------------------------------------------------------------------------------

  private static final class JdkSource {
    /** A private directory for the dump files; made on first use. */
    @GuardedBy("JdkSource.class")
    private static Path directory;

    @GuardedBy("JdkSource.class")
    private static long files;

    /** Returns a fresh absolute file name: dumpThreads refuses a file that exists. */
    private static synchronized Path nextFile() throws IOException {
      if (directory == null) {
        Path dir = Files.createTempDirectory("lifecycle-junit-threads-");
        dir.toFile().deleteOnExit();
        directory = dir;
      }
      return directory.resolve("threads-" + ++files + ".json").toAbsolutePath();
    }

    static String dump() throws IOException {
      HotSpotDiagnosticMXBean bean =
          ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
      if (bean == null) {
        throw new UnsupportedOperationException("no HotSpotDiagnosticMXBean");
      }
      Path file = nextFile();
      try {
        bean.dumpThreads(file.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
        return Files.readString(file);
      } finally {
        Files.deleteIfExists(file);
      }
    }
  }
}
