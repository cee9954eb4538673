package io.lifecycle.errorprone;

import com.google.errorprone.CompilationTestHelper;
import org.junit.jupiter.api.Test;

/**
 * Recall fixtures: the leak scenarios that the project exists for (DESIGN.md, "The problems it
 * exists for"), written the way a service writes them. Each must be reported by its check; a
 * precision change that silences one of them fails here.
 */
final class LeakScenariosTest {

  /**
   * A listener added per job to a long-lived room, never removed: the room keeps every job's
   * state alive. Covers the agent shape too, where the job reaches the shared room through the
   * call object it made.
   */
  @Test
  void listenerPerJobOnLongLivedRoom_reported() {
    Stubs.addCore(CompilationTestHelper.newInstance(ListenerNeverRemoved.class, getClass()))
        .addSourceLines(
            "Room.java",
            "interface Room {",
            "  interface TrackListener { void onTrack(String track); }",
            "  void addTrackListener(TrackListener l);",
            "  void removeTrackListener(TrackListener l);",
            "}")
        .addSourceLines(
            "Worker.java",
            "import java.util.ArrayList;",
            "import java.util.List;",
            "final class Worker {",
            "  private final Room room;",
            "  Worker(Room room) { this.room = room; }",
            "  void runJob(String jobId) {",
            "    List<String> tracks = new ArrayList<>();",
            "    // BUG: Diagnostic contains: no removeTrackListener on a Room",
            "    room.addTrackListener(tracks::add);",
            "  }",
            "  void runCall(String id) {",
            "    // BUG: Diagnostic contains: ListenerNeverRemoved",
            "    new Call(room, id).room().addTrackListener(track -> {});",
            "  }",
            "}",
            "final class Call {",
            "  private final Room room;",
            "  private final String id;",
            "  Call(Room room, String id) { this.room = room; this.id = id; }",
            "  Room room() { return room; }",
            "  String id() { return id; }",
            "}")
        .doTest();
  }

  /** A static map that caches per-session state, keyed by session id, and never evicts. */
  @Test
  void staticMapCachePerSession_reported() {
    CompilationTestHelper.newInstance(StaticCollectionGrows.class, getClass())
        .addSourceLines(
            "Sessions.java",
            "import java.util.Map;",
            "import java.util.concurrent.ConcurrentHashMap;",
            "final class Sessions {",
            "  record State(String caller, byte[] context) {}",
            "  // BUG: Diagnostic contains: Static collection grows: BY_SESSION",
            "  private static final Map<String, State> BY_SESSION = new ConcurrentHashMap<>();",
            "  static State state(String sessionId, String caller) {",
            "    return BY_SESSION.computeIfAbsent(sessionId, id -> new State(caller, new byte[32768]));",
            "  }",
            "  static int size() { return BY_SESSION.size(); }",
            "}")
        .doTest();
  }

  /** A Caffeine cache built with expiry only: nothing bounds how many entries it holds. */
  @Test
  void unboundedCaffeineCache_reported() {
    CompilationTestHelper.newInstance(UnboundedCache.class, getClass())
        .addSourceLines(
            "Participants.java",
            "import com.github.benmanes.caffeine.cache.Cache;",
            "import com.github.benmanes.caffeine.cache.Caffeine;",
            "import java.time.Duration;",
            "final class Participants {",
            "  private final Cache<String, byte[]> contexts =",
            "      // BUG: Diagnostic contains: Unbounded cache",
            "      Caffeine.newBuilder().expireAfterAccess(Duration.ofHours(1)).build();",
            "  void remember(String caller, byte[] context) { contexts.put(caller, context); }",
            "}")
        .doTest();
  }

  /**
   * A teardown that waits with no deadline: the close joins the poller thread and waits for the
   * last write, and stays stuck when either never ends.
   */
  @Test
  void teardownWithoutDeadline_reported() {
    Stubs.addCore(CompilationTestHelper.newInstance(UnboundedWait.class, getClass()))
        .addSourceLines(
            "Participant.java",
            "import io.lifecycle.core.Scope;",
            "import java.util.concurrent.CompletableFuture;",
            "import java.util.concurrent.Future;",
            "final class Participant implements AutoCloseable {",
            "  private final Thread poller;",
            "  private final Future<?> lastWrite;",
            "  private final CompletableFuture<Void> drained = new CompletableFuture<>();",
            "  private final Scope scope;",
            "  Participant(Thread poller, Future<?> lastWrite, Scope scope) {",
            "    this.poller = poller;",
            "    this.lastWrite = lastWrite;",
            "    this.scope = scope;",
            "  }",
            "  @Override public void close() throws Exception {",
            "    // BUG: Diagnostic contains: Future.get()",
            "    lastWrite.get();",
            "    // BUG: Diagnostic contains: Thread.join()",
            "    poller.join();",
            "    // BUG: Diagnostic contains: CompletableFuture.join()",
            "    drained.join();",
            "    // BUG: Diagnostic contains: Scope.join()",
            "    scope.join();",
            "  }",
            "}")
        .doTest();
  }
}
