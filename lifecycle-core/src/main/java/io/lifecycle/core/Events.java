package io.lifecycle.core;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Timespan;

/** The JFR events of the library; committed only when a recording enables them. */
final class Events {
  private Events() {}

  @Name("io.lifecycle.Leak")
  @Label("Scope Leak")
  @Category("Lifecycle")
  @Description("A scope became unreachable without being closed")
  static final class Leak extends jdk.jfr.Event {
    @Label("Path")
    String path;

    @Label("Age")
    @Timespan(Timespan.NANOSECONDS)
    long age;

    @Label("Owned")
    String owned;

    @Label("Allocation Site")
    String site;
  }

  @Name("io.lifecycle.Stuck")
  @Label("Stuck")
  @Category("Lifecycle")
  @Description("A close, task or operation overran its bound")
  static final class Stuck extends jdk.jfr.Event {
    @Label("Kind")
    String kind;

    @Label("What")
    String what;

    @Label("Path")
    String path;

    @Label("Stuck For")
    @Timespan(Timespan.NANOSECONDS)
    long stuckFor;

    @Label("Thread")
    String thread;

    @Label("Stack")
    String stack;
  }

  static void leak(LeakReport r) {
    Leak e = new Leak();
    if (e.isEnabled()) {
      e.path = r.path();
      e.age = Checks.saturatedNanos(r.age());
      e.owned = r.summary();
      e.site = r.allocationSite().isEmpty() ? "" : r.allocationSite().get(0).toString();
      e.commit();
    }
  }

  static void stuck(StuckReport r) {
    Stuck e = new Stuck();
    if (e.isEnabled()) {
      e.kind = r.kind().name();
      e.what = r.what();
      e.path = r.scopePath();
      e.stuckFor = Checks.saturatedNanos(r.stuckFor());
      e.thread = r.threadName().orElse("");
      StringBuilder sb = new StringBuilder();
      for (StackTraceElement f : r.stackTrace()) {
        sb.append(f).append('\n');
      }
      e.stack = sb.toString();
      e.commit();
    }
  }
}
