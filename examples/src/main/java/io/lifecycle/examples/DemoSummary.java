package io.lifecycle.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The last step of the demo: reads the summaries that {@link AgentServer} wrote for each mode,
 * prints them side by side, and draws the heap of every mode in one SVG chart.
 *
 * <pre>
 * java -cp ... io.lifecycle.examples.DemoSummary [target/agent-server]
 * </pre>
 */
public final class DemoSummary {
  private DemoSummary() {}

  private static final List<String> LABELS = List.of("leaky", "leaky-detect", "owned");
  private static final List<String> COLORS = List.of("#d62728", "#ff7f0e", "#2ca02c");

  /** Prints the table; exits with 1 if no summary is found. */
  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args.length > 0 ? args[0] : "target/agent-server");
    List<RunSummary> runs = new ArrayList<>();
    List<Charts.Series> heap = new ArrayList<>();
    for (int i = 0; i < LABELS.size(); i++) {
      Path summary = dir.resolve(LABELS.get(i) + ".summary");
      if (Files.exists(summary)) {
        runs.add(RunSummary.read(summary));
        heap.add(heapSeries(dir.resolve(LABELS.get(i) + ".csv"), LABELS.get(i), COLORS.get(i)));
      }
    }
    if (runs.isEmpty()) {
      System.err.println("no agent-server summaries in " + dir.toAbsolutePath());
      System.exit(1);
    }
    System.out.printf(
        "%n==== agent-server, side by side (each mode ran in a JVM of its own) ====%n%n");
    System.out.println(table(runs));
    Path svg = dir.resolve("comparison.svg");
    Files.writeString(
        svg,
        Charts.svg("agent-server: heap after GC against calls", "calls", "MiB", heap),
        StandardCharsets.UTF_8);
    System.out.println();
    System.out.println("Charts: " + svg + ", and one per mode beside it (<mode>.svg, <mode>.csv).");
  }

  /** Returns the side-by-side table of {@code runs}. */
  static String table(List<RunSummary> runs) {
    String format = "%-15s %6s  %10s %11s  %8s %10s %6s %7s %6s  %7s%n";
    StringBuilder sb = new StringBuilder();
    sb.append(" ".repeat(24)).append("growth per 1,000 calls  left after the run").append('\n');
    sb.append(
        String.format(
            Locale.ROOT,
            format,
            "mode",
            "calls",
            "heap",
            "direct",
            "threads",
            "listeners",
            "cache",
            "scopes",
            "leaks",
            "time"));
    for (RunSummary r : runs) {
      sb.append(
          String.format(
              Locale.ROOT,
              format,
              r.label().replace("-", " --"),
              count(r.calls()),
              AgentServer.signedMib(r.heapGrowthPer1000()),
              AgentServer.signedMib(r.directGrowthPer1000()),
              count(r.threadsLeft()),
              count(r.listenersLeft()),
              count(r.cachedLeft()),
              count(r.openScopes()),
              count(r.leakReports()),
              String.format(Locale.ROOT, "%.1f s", r.seconds())));
    }
    return sb.toString().stripTrailing();
  }

  private static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  private static Charts.Series heapSeries(Path csv, String label, String color) throws IOException {
    List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
    List<Charts.Point> heap = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      int first = line.indexOf(',');
      int second = line.indexOf(',', first + 1);
      double calls = Double.parseDouble(line.substring(0, first));
      double bytes = Double.parseDouble(line.substring(first + 1, second));
      heap.add(new Charts.Point(calls, bytes / 1048576.0));
    }
    return new Charts.Series(label.replace("-", " --"), color, label.contains("-"), heap);
  }
}
