package io.lifecycle.jmh;

import io.lifecycle.core.LeakLevel;
import io.lifecycle.core.Scope;
import java.util.List;
import org.openjdk.jol.info.ClassLayout;
import org.openjdk.jol.info.GraphLayout;

/**
 * Prints, with JOL, the field layout of the objects behind a scope and an owned resource, and the
 * graph of one small scope, which explain the retained bytes measured by {@link
 * FootprintBenchmark}. Reads only public information (classes by name, objects reachable from a
 * handle), so it needs no access to lifecycle's internals.
 *
 * <p>Run: {@code jmh/run --layouts}, or {@code java -cp jmh/target/benchmarks.jar
 * io.lifecycle.jmh.Layouts}.
 */
public final class Layouts {
  private Layouts() {}

  static final List<String> CLASSES =
      List.of(
          "io.lifecycle.core.Scope",
          "io.lifecycle.core.ScopeNode",
          "io.lifecycle.core.Children",
          "io.lifecycle.core.ScopeConfig",
          "io.lifecycle.core.Trace",
          "io.lifecycle.core.ReleaserEntry",
          "io.lifecycle.core.ActionRegistration",
          "io.lifecycle.core.LiveCount",
          "jdk.internal.ref.CleanerImpl$PhantomCleanableRef",
          "com.google.common.io.Closer");

  public static void main(String[] args) throws Exception {
    StringBuilder sb = new StringBuilder();
    for (String name : CLASSES) {
      Class<?> c;
      try {
        c = Class.forName(name);
      } catch (ClassNotFoundException e) {
        sb.append(name).append(": not found\n\n");
        continue;
      }
      sb.append(ClassLayout.parseClass(c).toPrintable()).append('\n');
    }
    try (Scope parent = Scope.builder("parent").leakLevel(LeakLevel.DISABLED).open()) {
      GraphLayout empty = GraphLayout.parseInstance(parent);
      try (Scope child = parent.child("child")) {
        GraphLayout one = GraphLayout.parseInstance(parent, child);
        sb.append("graph of a parent with no child:\n").append(empty.toFootprint()).append('\n');
        sb.append("graph of a parent with one child (DISABLED):\n")
            .append(one.subtract(empty).toFootprint())
            .append('\n');
      }
    }
    System.out.println(sb);
  }
}
