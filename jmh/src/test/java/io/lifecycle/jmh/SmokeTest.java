package io.lifecycle.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * The smoke pass: every benchmark, with every combination of its parameters, runs once in this JVM
 * (no fork, no warm-up, one 10 ms iteration; a footprint of 10,000 instances instead of a million),
 * so that a broken benchmark fails the build. The report (anchors, scaling, targets) is rendered
 * from the results too, so the runner's table cannot break unnoticed. Figures mean nothing here.
 */
class SmokeTest {
  static final String ALL = "io\\.lifecycle\\.jmh\\..*Benchmark\\.";
  static final Map<String, String> OVERRIDES = Map.of("count", "10000");

  /** Every benchmark and parameter combination runs once without failing; the report renders. */
  @Test
  void everyBenchmark_runsOnce() throws Exception {
    Options options =
        new OptionsBuilder()
            .include(ALL)
            .forks(0)
            .warmupIterations(0)
            .measurementIterations(1)
            .measurementTime(TimeValue.milliseconds(10))
            .param("count", OVERRIDES.get("count"))
            .shouldFailOnError(true)
            .verbosity(VerboseMode.SILENT)
            .build();
    long start = System.nanoTime();
    Collection<RunResult> results = new Runner(options).run();
    long millis = (System.nanoTime() - start) / 1_000_000;

    Map<String, Integer> expected = expectedRuns();
    Map<String, Integer> ran = new TreeMap<>();
    for (RunResult r : results) {
      ran.merge(r.getParams().getBenchmark(), 1, Integer::sum);
      assertFalse(
          Double.isNaN(r.getPrimaryResult().getScore()), () -> "no score: " + r.getParams().id());
    }
    assertFalse(expected.isEmpty(), "no benchmark found in META-INF/BenchmarkList");
    assertEquals(expected, ran, "benchmarks and parameter combinations run");

    String report = Report.render(results);
    assertTrue(report.contains("### Targets"), report);
    Path out = Path.of("target", "smoke-report.md");
    Files.createDirectories(out.getParent());
    Files.writeString(out, "smoke pass: " + results.size() + " runs in " + millis + " ms\n\n"
        + report);
    System.out.println("smoke pass: " + results.size() + " runs in " + millis + " ms");
  }

  /** The benchmark methods in the generated list, each with its number of parameter combinations. */
  static Map<String, Integer> expectedRuns() {
    Set<BenchmarkListEntry> entries =
        BenchmarkList.defaultList()
            .getAll(
                OutputFormatFactory.createFormatInstance(
                    new PrintStream(System.out, true, StandardCharsets.UTF_8), VerboseMode.SILENT),
                List.of());
    Map<String, Integer> out = new TreeMap<>();
    Set<String> seen = new TreeSet<>();
    for (BenchmarkListEntry e : entries) {
      if (!e.getUsername().matches(ALL + ".*") || !seen.add(e.getUsername())) {
        continue;
      }
      int combinations = 1;
      if (e.getParams().hasValue()) {
        for (Map.Entry<String, String[]> p : e.getParams().get().entrySet()) {
          combinations *= OVERRIDES.containsKey(p.getKey()) ? 1 : p.getValue().length;
        }
      }
      out.put(e.getUsername(), combinations);
    }
    return out;
  }
}
