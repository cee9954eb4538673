package io.lifecycle.jmh;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

/**
 * Renders JMH results as Markdown tables: each result beside its anchor (measured in the same run)
 * with the cost ratio, the 1-to-2-thread scaling, and the targets of issue 6 with pass or miss.
 *
 * <p>A row's anchor comes from its {@code impl} {@code @Param} enum ({@link Candidate}): the result
 * with the same benchmark method and the same other parameters, but the anchor's {@code impl}. The
 * ratio is always a cost ratio, lifecycle over anchor (below 1 is cheaper): time over time for
 * time modes, the inverse for throughput, bytes over bytes for {@link FootprintBenchmark}.
 */
final class Report {
  private Report() {}

  static final String IMPL = "impl";
  static final String BYTES = "bytesPerInstance";

  /** One measured row. */
  record Row(
      String benchmark, String method, Map<String, String> params, String impl, double score,
      double error, double best, String unit, boolean throughput) {

    /** The cost (time, or bytes) of one operation: lower is better. */
    double cost() {
      return throughput ? 1 / score : score;
    }

    /** The cost in the best measured iteration: the least disturbed by other load. */
    double bestCost() {
      return throughput ? 1 / best : best;
    }

    String key() {
      return benchmark + "." + method + " " + params;
    }

    String shortName() {
      return benchmark.substring(benchmark.lastIndexOf('.') + 1) + "." + method;
    }
  }

  static List<Row> rows(Collection<RunResult> results) {
    List<Row> rows = new ArrayList<>();
    for (RunResult r : results) {
      BenchmarkParams p = r.getParams();
      String full = p.getBenchmark();
      int dot = full.lastIndexOf('.');
      Map<String, String> params = new TreeMap<>();
      String impl = null;
      for (String k : p.getParamsKeys()) {
        if (k.equals(IMPL)) {
          impl = p.getParam(k);
        } else {
          params.put(k, p.getParam(k));
        }
      }
      Result<?> primary = r.getPrimaryResult();
      Result<?> bytes = r.getSecondaryResults().get(BYTES);
      if (bytes != null) {
        rows.add(new Row(full.substring(0, dot), full.substring(dot + 1), params, impl,
            bytes.getScore(), Double.NaN, bytes.getScore(), "bytes", false));
      } else {
        boolean throughput = p.getMode() == Mode.Throughput;
        rows.add(new Row(full.substring(0, dot), full.substring(dot + 1), params, impl,
            primary.getScore(), primary.getScoreError(), best(r, throughput),
            primary.getScoreUnit(), throughput));
      }
    }
    return rows;
  }

  /** The best iteration's score over all forks: the highest throughput, or the lowest time. */
  static double best(RunResult r, boolean throughput) {
    double best = Double.NaN;
    for (BenchmarkResult b : r.getBenchmarkResults()) {
      for (IterationResult i : b.getIterationResults()) {
        double v = i.getPrimaryResult().getScore();
        if (Double.isNaN(best) || (throughput ? v > best : v < best)) {
          best = v;
        }
      }
    }
    return Double.isNaN(best) ? r.getPrimaryResult().getScore() : best;
  }

  /** Returns the whole report: results beside anchors, scaling, targets. */
  static String render(Collection<RunResult> results) {
    List<Row> rows = rows(results);
    StringBuilder sb = new StringBuilder();
    sb.append(anchors(rows)).append('\n');
    String scaling = scaling(rows);
    if (!scaling.isEmpty()) {
      sb.append(scaling).append('\n');
    }
    sb.append(Targets.render(rows));
    return sb.toString();
  }

  /** The table of every row beside its anchor. */
  static String anchors(List<Row> rows) {
    Table t = new Table("benchmark", "params", "impl", "score", "± error", "best", "unit",
        "anchor", "anchor score", "anchor best", "cost ratio", "ratio of bests");
    for (Row r : rows) {
      Candidate c = candidate(r);
      String anchorName = c == null ? null : c.anchor();
      Row a = anchorName == null ? null : find(rows, r.benchmark, r.method, anchorName, r.params);
      t.add(r.shortName(), format(r.params), r.impl, number(r.score),
          Double.isNaN(r.error) ? "" : number(r.error), number(r.best), r.unit,
          anchorName == null ? (c == null ? "" : "(anchor)") : anchorName,
          a == null ? "" : number(a.score),
          a == null ? "" : number(a.best),
          a == null ? "" : ratio(r.cost() / a.cost()),
          a == null ? "" : ratio(r.bestCost() / a.bestCost()));
    }
    return "### Results beside their anchors (cost ratio = lifecycle / anchor, lower is better)\n\n"
        + "score: mean of the measured iterations, ± 99.9% error; best: the best iteration (the"
        + " least disturbed by other load on the machine).\n\n"
        + t;
  }

  /** Scaling from one thread to two, for benchmarks with oneThread and twoThreads methods. */
  static String scaling(List<Row> rows) {
    Table t = new Table("benchmark", "params", "impl", "1 thread", "2 threads", "unit",
        "scaling (2T/1T)", "scaling of bests");
    for (Row two : rows) {
      if (!two.method.equals("twoThreads")) {
        continue;
      }
      Row one = find(rows, two.benchmark, "oneThread", two.impl, two.params);
      if (one == null) {
        continue;
      }
      t.add(two.benchmark.substring(two.benchmark.lastIndexOf('.') + 1), format(two.params),
          two.impl, number(one.score), number(two.score), two.unit,
          ratio(one.cost() / two.cost()), ratio(one.bestCost() / two.bestCost()));
    }
    return t.isEmpty() ? "" : "### Throughput scaling from 1 to 2 threads (2.0 is perfect)\n\n" + t;
  }

  static Row find(List<Row> rows, String benchmark, String method, String impl,
      Map<String, String> params) {
    for (Row r : rows) {
      if (r.benchmark.equals(benchmark) && r.method.equals(method) && impl.equals(r.impl)
          && r.params.equals(params)) {
        return r;
      }
    }
    return null;
  }

  /** The constant of the benchmark's {@code impl} enum that a row ran, or null. */
  static Candidate candidate(Row r) {
    if (r.impl == null) {
      return null;
    }
    try {
      Class<?> type = Class.forName(r.benchmark).getDeclaredField(IMPL).getType();
      if (!type.isEnum() || !Candidate.class.isAssignableFrom(type)) {
        return null;
      }
      for (Object constant : type.getEnumConstants()) {
        if (((Enum<?>) constant).name().equals(r.impl)) {
          return (Candidate) constant;
        }
      }
      return null;
    } catch (ReflectiveOperationException | LinkageError e) {
      return null; // e.g. a preview class on a JVM started without --enable-preview
    }
  }

  static String format(Map<String, String> params) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, String> e : params.entrySet()) {
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(e.getKey()).append('=').append(e.getValue());
    }
    return sb.toString();
  }

  static String number(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    double a = Math.abs(v);
    if (a >= 1000) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    if (a >= 100) {
      return String.format(Locale.ROOT, "%.1f", v);
    }
    if (a >= 1) {
      return String.format(Locale.ROOT, "%.2f", v);
    }
    return String.format(Locale.ROOT, "%.3f", v);
  }

  static String ratio(double v) {
    return String.format(Locale.ROOT, "%.2fx", v);
  }

  /** A Markdown table with aligned columns. */
  static final class Table {
    private final String[] header;
    private final List<String[]> lines = new ArrayList<>();

    Table(String... header) {
      this.header = header;
    }

    void add(String... cells) {
      lines.add(cells);
    }

    boolean isEmpty() {
      return lines.isEmpty();
    }

    @Override
    public String toString() {
      int[] w = new int[header.length];
      for (int i = 0; i < header.length; i++) {
        w[i] = Math.max(3, header[i].length());
      }
      for (String[] l : lines) {
        for (int i = 0; i < l.length; i++) {
          w[i] = Math.max(w[i], l[i].length());
        }
      }
      StringBuilder sb = new StringBuilder();
      line(sb, header, w);
      String[] rule = new String[header.length];
      for (int i = 0; i < rule.length; i++) {
        rule[i] = "-".repeat(w[i]);
      }
      line(sb, rule, w);
      for (String[] l : lines) {
        line(sb, l, w);
      }
      return sb.toString();
    }

    private static void line(StringBuilder sb, String[] cells, int[] w) {
      sb.append('|');
      for (int i = 0; i < w.length; i++) {
        String c = i < cells.length ? cells[i] : "";
        sb.append(' ').append(c).append(" ".repeat(w[i] - c.length())).append(" |");
      }
      sb.append('\n');
    }
  }

  /** Params as a map, for selectors. */
  static Map<String, String> params(String... keyValues) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put(keyValues[i], keyValues[i + 1]);
    }
    return new TreeMap<>(m);
  }
}
