package io.lifecycle.jmh;

import io.lifecycle.jmh.Report.Row;
import java.util.List;
import java.util.Map;

/**
 * The targets of issue 6 (requirement 4), each computed from rows of one run: a cost ratio to an
 * anchor, a speed-up, or an absolute size. A target whose rows were not run is listed as not run.
 */
final class Targets {
  private Targets() {}

  enum Kind {
    /** cost(row) / cost(base) at most the limit. */
    COST_RATIO,
    /** cost(base) / cost(row) at least the limit. */
    SPEEDUP,
    /** the row's score at most the limit. */
    AT_MOST
  }

  /** Selects one row. */
  record Select(String benchmark, String method, String impl, Map<String, String> params) {
    Row in(List<Row> rows) {
      return Report.find(rows, "io.lifecycle.jmh." + benchmark, method, impl, params);
    }

    @Override
    public String toString() {
      String p = Report.format(params);
      return impl + (p.isEmpty() ? "" : " " + p);
    }
  }

  record Target(String what, Kind kind, Select row, Select base, double limit) {}

  static Select own(String impl) {
    return new Select("OwnCloseBenchmark", "ownClose", impl, Report.params("n", "1"));
  }

  static Select release(String impl, int siblings) {
    return new Select(
        "ReleaseBenchmark", "ownRelease", impl, Report.params("siblings", "" + siblings));
  }

  static Select footprint(String impl) {
    return new Select(
        "FootprintBenchmark", "retained", impl, Report.params("count", "1000000"));
  }

  static Select scaling(String method, String impl) {
    return new Select("OwnCloseScalingBenchmark", method, impl, Report.params("n", "1"));
  }

  static Select fork(String impl) {
    return new Select("ForkJoinBenchmark", "forkJoin", impl, Report.params("tasks", "16"));
  }

  static Select sts(String impl) {
    return new Select("ForkJoinStsBenchmark", "forkJoin", impl, Report.params("tasks", "16"));
  }

  static final List<Target> ALL =
      List.of(
          new Target("open + own 1 + close at DISABLED <= 1.5x Guava Closer", Kind.COST_RATIO,
              own("SCOPE_DISABLED"), own("CLOSER"), 1.5),
          new Target("open + own 1 + close at SAMPLED <= 1.0x Cleaner.register+clean",
              Kind.COST_RATIO, own("SCOPE_SAMPLED"), own("CLEANER"), 1.0),
          new Target("open + own 1 + close at ALL <= 1.2x StackWalker 8 frames", Kind.COST_RATIO,
              own("SCOPE_ALL"), own("STACK_WALKER_8"), 1.2),
          new Target("2-thread throughput at SAMPLED >= 1.5x 1 thread", Kind.SPEEDUP,
              scaling("twoThreads", "SCOPE_SAMPLED"), scaling("oneThread", "SCOPE_SAMPLED"), 1.5),
          new Target("child scope release, 100,000 siblings <= 1.2x 0 siblings", Kind.COST_RATIO,
              release("CHILD_SCOPE", 100_000), release("CHILD_SCOPE", 0), 1.2),
          new Target("Registration.close, 100,000 siblings <= 1.2x 0 siblings", Kind.COST_RATIO,
              release("REGISTRATION", 100_000), release("REGISTRATION", 0), 1.2),
          new Target("oldest child released, 100,000 siblings <= 1.2x 0 siblings",
              Kind.COST_RATIO, release("CHILD_SCOPE_OLDEST", 100_000),
              release("CHILD_SCOPE_OLDEST", 0), 1.2),
          new Target("fork 16 + join <= 0.6x 16 raw virtual-thread starts + joins",
              Kind.COST_RATIO, fork("SCOPE"), fork("RAW_VIRTUAL_THREADS"), 0.6),
          new Target("fork 16 + join <= 1.0x JDK StructuredTaskScope (sts profile)",
              Kind.COST_RATIO, sts("SCOPE"), sts("STRUCTURED_TASK_SCOPE"), 1.0),
          new Target("retained bytes per owned resource at SAMPLED <= 32", Kind.AT_MOST,
              footprint("OWNED_RESOURCE"), null, 32),
          new Target("retained bytes per scope (child) at SAMPLED <= 96", Kind.AT_MOST,
              footprint("SCOPE"), null, 96),
          new Target("retained bytes per scope (root) at SAMPLED <= 96", Kind.AT_MOST,
              footprint("ROOT_SCOPE"), null, 96));

  static String render(List<Row> rows) {
    Report.Table t =
        new Report.Table("target", "measured", "of", "vs", "anchor", "result", "on bests");
    for (Target target : ALL) {
      Row row = target.row.in(rows);
      Row base = target.base == null ? null : target.base.in(rows);
      if (row == null || (target.base != null && base == null)) {
        t.add(target.what, "", "", "", "", "not run", "");
        continue;
      }
      double value = value(target, row.cost(), base == null ? 0 : base.cost(), row.score());
      double onBests =
          value(target, row.bestCost(), base == null ? 0 : base.bestCost(), row.best());
      boolean pass = passes(target, value);
      String measured =
          target.kind == Kind.AT_MOST ? Report.number(value) + " " + row.unit()
              : Report.ratio(value);
      t.add(target.what, measured, Report.number(row.score()) + " " + row.unit(),
          base == null ? "" : Report.number(base.score()) + " " + base.unit(),
          base == null ? "" : target.base.toString(), pass ? "pass" : "MISS",
          target.kind == Kind.AT_MOST ? ""
              : Report.ratio(onBests) + (passes(target, onBests) ? " pass" : " MISS"));
    }
    return "### Targets (issue 6, requirement 4)\n\n" + t;
  }

  private static double value(Target target, double rowCost, double baseCost, double score) {
    return switch (target.kind) {
      case COST_RATIO -> rowCost / baseCost;
      case SPEEDUP -> baseCost / rowCost;
      case AT_MOST -> score;
    };
  }

  private static boolean passes(Target target, double value) {
    return target.kind == Kind.SPEEDUP ? value >= target.limit : value <= target.limit;
  }
}
