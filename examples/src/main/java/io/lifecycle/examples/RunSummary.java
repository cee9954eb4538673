package io.lifecycle.examples;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The outcome of one run of the agent server, as the demo's summary table and the tests read it.
 * The first wave is the warm-up (classes load, code compiles): growth is measured from the end of
 * the second wave to the end of the last.
 *
 * @param label the mode: {@code leaky}, {@code leaky-detect} or {@code owned}
 * @param calls calls done
 * @param warmHeap heap after GC after the first wave that followed the warm-up, in bytes
 * @param lastHeap heap after GC after the last wave, in bytes
 * @param heapGrowthPer1000 heap growth per 1,000 calls after the warm-up, in bytes
 * @param directGrowthPer1000 direct memory growth per 1,000 calls after the warm-up, in bytes
 * @param threadsLeft non-daemon platform threads alive after the worker closed, beyond those alive
 *     before it started
 * @param openScopes scopes open after the worker closed (and the collector ran)
 * @param jobScopesAfterRun scopes named {@code job} open after the last wave, before the worker
 *     closed and before the collector ran
 * @param leakReports leak reports made during the run
 * @param listenersLeft listeners the room still held after the worker closed
 * @param cachedLeft entries the participant cache still held after the worker closed
 * @param seconds the run's wall time
 */
record RunSummary(
    String label,
    int calls,
    long warmHeap,
    long lastHeap,
    long heapGrowthPer1000,
    long directGrowthPer1000,
    int threadsLeft,
    long openScopes,
    long jobScopesAfterRun,
    long leakReports,
    int listenersLeft,
    int cachedLeft,
    double seconds) {

  /**
   * Returns whether heap after GC stayed flat: the last wave within 5% or 2 MiB, whichever is
   * larger, of the first after the warm-up.
   */
  boolean heapFlat() {
    long allowed = Math.max(warmHeap / 20, 2L * 1024 * 1024);
    return Math.abs(lastHeap - warmHeap) <= allowed;
  }

  void write(Path file) throws IOException {
    Properties p = new Properties();
    p.setProperty("label", label);
    p.setProperty("calls", Integer.toString(calls));
    p.setProperty("warmHeap", Long.toString(warmHeap));
    p.setProperty("lastHeap", Long.toString(lastHeap));
    p.setProperty("heapGrowthPer1000", Long.toString(heapGrowthPer1000));
    p.setProperty("directGrowthPer1000", Long.toString(directGrowthPer1000));
    p.setProperty("threadsLeft", Integer.toString(threadsLeft));
    p.setProperty("openScopes", Long.toString(openScopes));
    p.setProperty("jobScopesAfterRun", Long.toString(jobScopesAfterRun));
    p.setProperty("leakReports", Long.toString(leakReports));
    p.setProperty("listenersLeft", Integer.toString(listenersLeft));
    p.setProperty("cachedLeft", Integer.toString(cachedLeft));
    p.setProperty("seconds", Double.toString(seconds));
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      p.store(w, "agent-server run summary");
    }
  }

  static RunSummary read(Path file) throws IOException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    }
    return new RunSummary(
        required(p, "label", file),
        Integer.parseInt(required(p, "calls", file)),
        Long.parseLong(required(p, "warmHeap", file)),
        Long.parseLong(required(p, "lastHeap", file)),
        Long.parseLong(required(p, "heapGrowthPer1000", file)),
        Long.parseLong(required(p, "directGrowthPer1000", file)),
        Integer.parseInt(required(p, "threadsLeft", file)),
        Long.parseLong(required(p, "openScopes", file)),
        Long.parseLong(required(p, "jobScopesAfterRun", file)),
        Long.parseLong(required(p, "leakReports", file)),
        Integer.parseInt(required(p, "listenersLeft", file)),
        Integer.parseInt(required(p, "cachedLeft", file)),
        Double.parseDouble(required(p, "seconds", file)));
  }

  private static String required(Properties p, String key, Path file) throws IOException {
    String v = p.getProperty(key);
    if (v == null) {
      throw new IOException(file + " has no " + key);
    }
    return v;
  }
}
