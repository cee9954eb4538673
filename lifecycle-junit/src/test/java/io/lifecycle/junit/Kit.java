package io.lifecycle.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * Runs fixture classes through the JUnit Platform (the Jupiter engine, in this JVM) and reads
 * their results. Fixtures are static nested classes of the tests: Surefire does not run nested
 * classes by itself, so they run only here.
 */
final class Kit {
  private Kit() {}

  static EngineExecutionResults run(Class<?>... classes) {
    return run(Map.of(), classes);
  }

  static EngineExecutionResults run(Map<String, String> configuration, Class<?>... classes) {
    EngineTestKit.Builder builder = EngineTestKit.engine("junit-jupiter");
    for (Class<?> c : classes) {
      builder.selectors(selectClass(c));
    }
    configuration.forEach(builder::configurationParameter);
    return builder.execute();
  }

  /** Returns the failures of the tests, by display name ("leaks()"), in execution order. */
  static Map<String, Throwable> failures(EngineExecutionResults results) {
    return results.testEvents().failed().stream()
        .collect(
            Collectors.toMap(
                e -> e.getTestDescriptor().getDisplayName(),
                Kit::throwable,
                (a, b) -> a,
                java.util.LinkedHashMap::new));
  }

  /** Returns the failure of the one test with this display name, which must have failed. */
  static Throwable failure(EngineExecutionResults results, String displayName) {
    Throwable t = failures(results).get(displayName);
    if (t == null) {
      throw new AssertionError(
          displayName + " did not fail; failures: " + failures(results).keySet()
              + ", successes: " + successes(results));
    }
    return t;
  }

  /** Returns the display names of the tests that succeeded. */
  static List<String> successes(EngineExecutionResults results) {
    return results.testEvents().succeeded().stream()
        .map(e -> e.getTestDescriptor().getDisplayName())
        .toList();
  }

  /** Asserts how many tests succeeded and failed, printing the failures when it does not hold. */
  static void assertCounts(EngineExecutionResults results, int succeeded, int failed) {
    Map<String, Throwable> failures = failures(results);
    String detail =
        failures.entrySet().stream()
            .map(e -> e.getKey() + ": " + e.getValue())
            .collect(Collectors.joining("\n\n"));
    assertEquals(
        succeeded + " succeeded, " + failed + " failed",
        results.testEvents().succeeded().count()
            + " succeeded, "
            + results.testEvents().failed().count()
            + " failed",
        detail);
  }

  private static Throwable throwable(Event e) {
    return e.getPayload(TestExecutionResult.class).flatMap(TestExecutionResult::getThrowable)
        .orElseThrow();
  }

  /** Returns the line number of the caller's next line: where a fixture opens a scope. */
  static int nextLine() {
    return StackWalker.getInstance().walk(s -> s.skip(1).findFirst().orElseThrow())
            .getLineNumber()
        + 1;
  }
}
