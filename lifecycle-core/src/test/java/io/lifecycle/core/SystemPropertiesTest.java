package io.lifecycle.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The runtime-wide settings read from system properties once, at class initialisation, and the
 * report of roots still open at JVM exit; each case runs {@link PropertiesProbe} in a child JVM
 * (the same java and class path as this one). Issue 2 req 5 and 6, issue 3 req 4.
 */
class SystemPropertiesTest {

  /** The output of a child JVM. */
  record Run(int exitCode, String out, String err) {
    long value(String key) {
      for (String line : out.lines().toList()) {
        if (line.startsWith(key + "=")) {
          return Long.parseLong(line.substring(key.length() + 1));
        }
      }
      throw new AssertionError("no " + key + " in:\n" + out + "\n" + err);
    }

    String string(String key) {
      for (String line : out.lines().toList()) {
        if (line.startsWith(key + "=")) {
          return line.substring(key.length() + 1);
        }
      }
      throw new AssertionError("no " + key + " in:\n" + out + "\n" + err);
    }
  }

  /** io.lifecycle.closeTimeout bounds the close of scopes opened without their own timeout. */
  @Test
  void closeTimeout_boundsDefaultClose() throws Exception {
    Run r = run("closeTimeout", "-Dio.lifecycle.closeTimeout=300ms");
    assertEquals("true", r.string("threw"), r::toString);
    assertEquals("true", r.string("abandoned"));
    assertTrue(r.value("tookMs") < 2_300, r::toString);
    assertTrue(r.err().contains("STUCK: close of "), r.err());
  }

  /** io.lifecycle.leakLevel, samplingInterval and taskGrace set the runtime-wide defaults. */
  @Test
  void levelSamplingAndGrace_setDefaults() throws Exception {
    Run r =
        run(
            "levels",
            "-Dio.lifecycle.leakLevel=paranoid",
            "-Dio.lifecycle.samplingInterval=1",
            "-Dio.lifecycle.taskGrace=250ms");
    assertEquals("PARANOID", r.string("level"), r::toString);
    assertEquals(100, r.value("sampledSites"), "interval 1 samples every scope");
    assertEquals(250, r.value("taskGraceMs"));
  }

  /** An invalid value is reported at WARNING, naming property and value, and ignored. */
  @Test
  void invalidValue_warnsAndUsesDefault() throws Exception {
    Run r = run("levels", "-Dio.lifecycle.leakLevel=bogus", "-Dio.lifecycle.samplingInterval=-3");
    assertEquals("SAMPLED", r.string("level"), r::toString);
    assertTrue(r.err().contains("ignoring system property io.lifecycle.leakLevel=bogus"), r.err());
    assertTrue(
        r.err().contains("ignoring system property io.lifecycle.samplingInterval=-3"), r.err());
    assertTrue(r.value("sampledSites") < 50, "the default interval (128) applies");
  }

  /** Root scopes still open at JVM exit are listed once at WARNING. */
  @Test
  void openRootsAtExit_listedOnce() throws Exception {
    Run r = run("openAtExit");
    assertEquals(0, r.exitCode(), r::toString);
    String marker = "1 root scope was still open at JVM exit";
    assertTrue(r.err().contains(marker), r.err());
    assertEquals(r.err().indexOf(marker), r.err().lastIndexOf(marker), "listed once");
    assertTrue(r.err().contains("left-open-at-exit (age "), r.err());
  }

  /** io.lifecycle.reportOpenAtExit=false turns the exit report off. */
  @Test
  void openRootsAtExit_disabledByProperty() throws Exception {
    Run r = run("openAtExit", "-Dio.lifecycle.reportOpenAtExit=false");
    assertEquals(0, r.exitCode(), r::toString);
    assertFalse(r.err().contains("still open at JVM exit"), r.err());
  }

  /**
   * The exit report is installed by the first root scope, even when the program never touches
   * {@link Lifecycle} (a builder that sets the leak level does not even read the runtime's).
   */
  @Test
  void openRootsAtExit_onlyBuilderUsed_listed() throws Exception {
    Run r = run("openAtExitBuilderOnly");
    assertEquals(0, r.exitCode(), r::toString);
    assertTrue(r.err().contains("1 root scope was still open at JVM exit"), r::toString);
    assertTrue(r.err().contains("left-open-by-builder (age "), r.err());
  }

  /**
   * io.lifecycle.closeTimeout=0s is refused (a zero timeout would give up on every release): it is
   * reported at WARNING and the default, an unbounded inline close, is kept.
   */
  @Test
  void closeTimeout_zero_warnsAndKeepsDefault() throws Exception {
    Run r = run("closeTimeoutSetting", "-Dio.lifecycle.closeTimeout=0s");
    assertEquals(0, r.exitCode(), r::toString);
    assertTrue(r.err().contains("ignoring system property io.lifecycle.closeTimeout=0s"), r.err());
    assertEquals(-1, r.value("closeTimeoutNanos"), r::toString);
    assertEquals("true", r.string("releasedOnCaller"), r::toString);
  }

  /** Runs the probe in a child JVM and returns its output (bounded wait). */
  static Run run(String mode, String... properties) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElseThrow());
    command.add("-Xmx64m");
    command.addAll(List.of(properties));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(PropertiesProbe.class.getName());
    command.add(mode);
    Process p = new ProcessBuilder(command).start();
    // read both streams fully on their own threads (the pipes must not fill up)
    StringBuilder out = new StringBuilder();
    StringBuilder err = new StringBuilder();
    Thread o = Thread.ofVirtual().start(() -> drain(p.getInputStream(), out));
    Thread e = Thread.ofVirtual().start(() -> drain(p.getErrorStream(), err));
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("child JVM did not exit: " + command);
    }
    o.join();
    e.join();
    return new Run(p.exitValue(), out.toString(), err.toString());
  }

  private static void drain(java.io.InputStream in, StringBuilder into) {
    try {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      synchronized (into) {
        into.append(text);
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
