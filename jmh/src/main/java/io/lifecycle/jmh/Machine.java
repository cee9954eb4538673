package io.lifecycle.jmh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** What a result was measured on: date, JDK, CPU, cores, memory, load. Linux details if present. */
final class Machine {
  private Machine() {}

  static String describe(ZonedDateTime when) {
    return "date: " + when.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME) + "\n"
        + "JDK: " + System.getProperty("java.vm.vendor") + " "
        + System.getProperty("java.runtime.version") + " (" + System.getProperty("java.vm.name")
        + ")\n"
        + "machine: " + cpu() + ", " + Runtime.getRuntime().availableProcessors() + " cores, "
        + memory() + ", " + System.getProperty("os.name") + " " + System.getProperty("os.version")
        + " " + System.getProperty("os.arch") + "\n"
        + "load average before: " + load() + "\n";
  }

  /** The 1, 5 and 15 minute load averages, or "?" where the system does not say. */
  static String load() {
    String s = read("/proc/loadavg");
    if (s == null) {
      return "?";
    }
    String[] f = s.trim().split("\\s+", -1);
    return f.length >= 3 ? f[0] + " " + f[1] + " " + f[2] : "?";
  }

  private static String cpu() {
    String s = read("/proc/cpuinfo");
    if (s != null) {
      for (String line : s.split("\n", -1)) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    }
    return "cpu ?";
  }

  private static String memory() {
    String s = read("/proc/meminfo");
    if (s != null) {
      for (String line : s.split("\n", -1)) {
        if (line.startsWith("MemTotal:")) {
          String[] f = line.trim().split("\\s+", -1);
          long kb = Long.parseLong(f[1]);
          return Math.round(kb / 1024.0 / 1024.0) + " GiB";
        }
      }
    }
    return "memory ?";
  }

  private static String read(String file) {
    try {
      List<String> lines = Files.readAllLines(Path.of(file));
      return String.join("\n", lines);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
