package io.lifecycle.jmh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * The benchmarks jar's main class: runs a set of benchmarks with the settings written on each class
 * (fit for a 2-core machine), writes JMH's JSON, and prints the machine, the load, each result
 * beside its anchor, the scaling and the targets, also written as Markdown beside the JSON.
 *
 * <p>Arguments are JMH's own command line (regexes, {@code -p n=1}, {@code -prof gc}, {@code -f 2},
 * ...), where a preset name stands for its regex: {@code core} (every benchmark of lifecycle-core,
 * the default) or {@code all}. {@code -h}, {@code -l} and the other listing options go straight to
 * JMH. Output goes to the folder named by the system property {@code lifecycle.jmh.out} (default
 * {@code target}) unless {@code -rff} is given.
 *
 * <p>Run: {@code jmh/run [core | all | REGEX...] [JMH options]}, or {@code java -jar
 * jmh/target/benchmarks.jar core} on a JDK 21+.
 */
public final class Run {
  private Run() {}

  static final Map<String, String> PRESETS =
      Map.of(
          "core",
          "io\\.lifecycle\\.jmh\\.(OwnClose|OwnCloseScaling|Release|ForkJoin|ForkJoinSts|Snapshot"
              + "|Footprint)Benchmark\\.",
          "sts",
          "io\\.lifecycle\\.jmh\\.ForkJoin(Sts)?Benchmark\\.",
          "all",
          "io\\.lifecycle\\.jmh\\..*Benchmark\\.");

  private static final Set<String> LISTING =
      Set.of("-h", "-help", "--help", "-l", "-lp", "-lprof", "-lrf");

  public static void main(String[] args) throws IOException, RunnerException {
    List<String> expanded = new ArrayList<>();
    boolean listing = false;
    for (String a : args) {
      expanded.add(PRESETS.getOrDefault(a, a));
      listing |= LISTING.contains(a);
    }
    if (listing) {
      org.openjdk.jmh.Main.main(expanded.toArray(String[]::new));
      return;
    }
    CommandLineOptions cmd;
    try {
      cmd = new CommandLineOptions(expanded.toArray(String[]::new));
    } catch (CommandLineOptionException e) {
      System.err.println("jmh/run: " + e.getMessage());
      System.exit(2);
      return;
    }
    ChainedOptionsBuilder options = new OptionsBuilder().parent(cmd);
    if (cmd.getIncludes().isEmpty()) {
      options.include(PRESETS.get("core"));
    }
    ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
    String stamp = now.format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path out = Path.of(System.getProperty("lifecycle.jmh.out", "target"));
    Files.createDirectories(out);
    Path json = out.resolve("jmh-" + stamp + ".json");
    if (!cmd.getResult().hasValue()) {
      options.result(json.toString());
    } else {
      json = Path.of(cmd.getResult().get());
    }
    if (!cmd.getResultFormat().hasValue()) {
      options.resultFormat(ResultFormatType.JSON);
    }
    String before = Machine.describe(now);
    System.out.println(before);
    Collection<RunResult> results = new Runner(options.build()).run();
    String report =
        "## lifecycle JMH run " + now.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME) + "\n\n"
            + before
            + "load average after: " + Machine.load() + "\n\n"
            + Report.render(results);
    Path md = json.resolveSibling(json.getFileName().toString().replaceFirst("\\.json$", "") + ".md");
    Files.writeString(md, report);
    System.out.println();
    System.out.println(report);
    System.out.println("JSON: " + json.toAbsolutePath());
    System.out.println("Markdown: " + md.toAbsolutePath());
  }
}
