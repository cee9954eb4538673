package io.lifecycle.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.lifecycle.core.Scope;
import io.lifecycle.junit.LeakCheck;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Checks, at a few hundred calls, the facts the agent-server example exists to show: the owned
 * worker stays flat and leaves nothing behind; the leaky worker grows with every call; with {@code
 * --detect}, the library reports every forgotten job scope where it was opened.
 *
 * <p>The owned run happens in this JVM, under {@link LeakCheck}: it must leave no scope, resource
 * or thread behind. The leaky runs happen in JVMs of their own: what they leak (threads that never
 * stop, native memory, listeners on a room) cannot be undone, and must not reach this JVM, which
 * {@link LeakCheck} confirms for them too.
 */
@LeakCheck
class AgentServerTest {
  private static final int CALLS = 300;
  private static final int WAVE = 50;
  private static final long MIB = 1024 * 1024;
  private static final Path OUT = Path.of("target", "agent-server-test");

  /** Owned: heap after GC flat, threads back to baseline, no scope left open, no leak report. */
  @Test
  void owned_leavesNothingBehind() throws Exception {
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    RunSummary run =
        AgentServer.run(
            new AgentServer.Options(AgentServer.Mode.OWNED, false, CALLS, WAVE, OUT),
            new PrintStream(output, true, StandardCharsets.UTF_8));

    assertTrue(
        run.heapFlat(),
        "heap after GC grew from " + run.warmHeap() + " to " + run.lastHeap() + " bytes");
    assertTrue(
        Math.abs(run.directGrowthPer1000()) < MIB,
        "direct memory grew " + run.directGrowthPer1000() + " bytes per 1,000 calls");
    assertEquals(0, run.threadsLeft(), "threads left");
    assertEquals(0, run.jobScopesAfterRun(), "job scopes open after the run");
    assertEquals(0, run.openScopes(), "scopes open after the worker closed");
    assertEquals(0, run.leakReports(), "leak reports");
    assertEquals(0, run.listenersLeft(), "room listeners left");
    assertEquals(0, run.cachedLeft(), "cache entries left");
    String printed = output.toString(StandardCharsets.UTF_8);
    assertTrue(
        printed.contains("room listeners, cache entries, direct memory: no growth")
            && printed.contains(": 0 scopes, 0 owned, 0 tasks, 0 leak reports"),
        "the end-of-run diff shows growth:\n" + printed);
  }

  /** Leaky: each call leaves its poller, callback, cache entry and native buffer behind. */
  @Test
  void leaky_growsWithEveryCall() throws Exception {
    RunSummary run = runInOwnJvm("leaky", "--mode", "leaky");

    assertEquals(CALLS, run.threadsLeft(), "threads left: one poller per call");
    assertEquals(CALLS, run.listenersLeft(), "room listeners left: one callback per call");
    assertEquals(CALLS, run.cachedLeft(), "cache entries left: one per call");
    assertEquals(0, run.leakReports(), "leak reports (no scope to report)");
    // Every call keeps its stream's buffer: exactly 256 KiB of native memory.
    assertEquals(1_000L * AudioStream.BUFFER_BYTES, run.directGrowthPer1000(), MIB);
    // Every call keeps at least its caller's 32 KiB of context on the heap.
    long heapPerCall = run.heapGrowthPer1000() / 1_000;
    assertTrue(
        heapPerCall >= ParticipantState.CONTEXT_BYTES * 9L / 10,
        "heap grew only " + heapPerCall + " bytes per call");
    assertProportionalToCalls(heapAfterGc(OUT.resolve("leaky.csv")));
    assertWhatGrewNames(
        "leaky", "room listeners   +" + CALLS, "cache entries    +" + CALLS, "direct memory    +");
  }

  /** Leaky with --detect: one report per call, with the job's allocation site. */
  @Test
  void leakyDetect_reportsEveryForgottenScope() throws Exception {
    RunSummary run = runInOwnJvm("leaky-detect", "--mode", "leaky", "--detect");

    assertEquals(CALLS, run.leakReports(), "leak reports: one per job");
    String output = Files.readString(OUT.resolve("leaky-detect.log"), StandardCharsets.UTF_8);
    assertTrue(
        output.contains("still owned: AudioStream x1, Thread x1")
            && output.contains("opened at:\n    io.lifecycle.examples.LeakyWorker.runJob("),
        "the first report names what the job owned and where it was opened:\n" + output);
    // The safety net closed what the scopes owned: pollers stopped, buffers freed.
    assertEquals(0, run.threadsLeft(), "threads left");
    assertTrue(
        run.directGrowthPer1000() < MIB,
        "direct memory grew " + run.directGrowthPer1000() + " bytes per 1,000 calls");
    // What the scopes did not own still leaks.
    assertEquals(CALLS, run.listenersLeft(), "room listeners left");
    assertEquals(CALLS, run.cachedLeft(), "cache entries left");
    // The end-of-run diff names what grew: not the collected scopes, but what they did not own.
    assertWhatGrewNames(
        "leaky-detect",
        "room listeners   +" + CALLS,
        "cache entries    +" + CALLS,
        ": 0 scopes, 0 owned, 0 tasks, +" + CALLS + " leak reports");
  }

  /** Asserts that the "What grew" section of the run's output has each of {@code lines}. */
  private static void assertWhatGrewNames(String label, String... lines) throws IOException {
    String output = Files.readString(OUT.resolve(label + ".log"), StandardCharsets.UTF_8);
    int from = output.indexOf("What grew");
    int to = output.indexOf("Result in", Math.max(from, 0));
    assertTrue(from >= 0 && to > from, "no \"What grew\" section:\n" + output);
    String section = output.substring(from, to);
    for (String line : lines) {
      assertTrue(section.contains(line), "\"What grew\" does not name " + line + ":\n" + section);
    }
  }

  /**
   * Asserts that every wave after the warm-up added about as much as the average wave: growth in
   * step with calls.
   */
  private static void assertProportionalToCalls(List<Long> heap) {
    double mean = (double) (heap.get(heap.size() - 1) - heap.get(1)) / (heap.size() - 2);
    for (int i = 2; i < heap.size(); i++) {
      long step = heap.get(i) - heap.get(i - 1);
      assertTrue(
          step > mean / 2 && step < mean * 2,
          "wave " + (i + 1) + " added " + step + " bytes, the average wave " + mean + ": " + heap);
    }
  }

  /** Returns the second column of the run's CSV: heap after GC after each wave. */
  private static List<Long> heapAfterGc(Path csv) throws IOException {
    List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
    List<Long> heap = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      int from = line.indexOf(',') + 1;
      heap.add(Long.parseLong(line.substring(from, line.indexOf(',', from))));
    }
    return heap;
  }

  /** Runs the example with {@code args} in a new JVM of the same JDK and returns its summary. */
  private static RunSummary runInOwnJvm(String label, String... args)
      throws IOException, InterruptedException, URISyntaxException {
    Files.createDirectories(OUT);
    Path log = OUT.resolve(label + ".log");
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElseThrow());
    command.addAll(
        List.of(
            "-Xmx256m",
            "-XX:MaxDirectMemorySize=512m",
            "-cp",
            classpathOf(AgentServer.class, Scope.class),
            AgentServer.class.getName(),
            "--calls",
            Integer.toString(CALLS),
            "--wave",
            Integer.toString(WAVE),
            "--out",
            OUT.toString()));
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail("agent-server " + label + " did not finish within 60 s; see " + log);
    }
    assertEquals(
        0,
        process.exitValue(),
        "agent-server " + label + " failed:\n" + Files.readString(log, StandardCharsets.UTF_8));
    return RunSummary.read(OUT.resolve(label + ".summary"));
  }

  private static String classpathOf(Class<?>... classes) throws URISyntaxException {
    List<String> entries = new ArrayList<>();
    for (Class<?> c : classes) {
      entries.add(
          Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
    }
    return entries.stream().distinct().collect(Collectors.joining(File.pathSeparator));
  }
}
