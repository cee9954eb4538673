package io.lifecycle.junit;

import static io.lifecycle.junit.Leftovers.hold;
import static io.lifecycle.junit.Leftovers.leak;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifecycle.core.Lifecycle;
import io.lifecycle.core.Scope;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * {@link LeakCheck} on other versions of JUnit than the one this module is built with: the oldest
 * it supports (5.10), the last before JUnit closes {@link AutoCloseable} store values (5.12, the
 * first with the test-method-scoped instantiation context), and the next major version (6).
 *
 * <p>Each version runs in a class loader of its own, holding that version's jars (copied into
 * {@code target/jupiter/<version>/} by the build), lifecycle-core, and this module's classes and
 * test classes: so the fixtures, the extension and the runtime it inspects are fresh copies,
 * linked against that version. {@link Runner} runs the fixtures there through the JUnit Platform
 * launcher and hands back what happened as strings.
 */
class JupiterVersionsTest {

  @AfterEach
  void cleanUp() throws InterruptedException {
    Leftovers.cleanUp();
  }

  // ---------------------------------------------------------------------------------------------
  // Fixtures, run on each version
  // ---------------------------------------------------------------------------------------------

  @LeakCheck
  static class Clean {
    private final Scope field = Scope.open("field");

    @AfterEach
    void close() {
      field.close();
    }

    @Test
    void clean() throws Exception {
      try (Scope job = Scope.open("job")) {
        job.own(new AudioStream());
        job.fork(() -> 1);
        job.join();
      }
      Thread.ofVirtual().start(() -> {}).join();
    }
  }

  @LeakCheck
  static class LeaksScope {
    @Test
    void leaksScope() {
      hold(Scope.open("held")).own(new AudioStream());
    }
  }

  @LeakCheck(lingerMillis = 0)
  static class LeaksThread {
    @Test
    void leaksThread() throws InterruptedException {
      leak(Thread.ofVirtual().name("virtual-leak"));
    }
  }

  @LeakCheck
  static class LeaksInField {
    private final Scope field = hold(Scope.open("field"));

    @Test
    void leaksInField() {}
  }

  /** The check begins before construction (JUnit 5.12+): only the store can end it. */
  @LeakCheck
  static class CannotBeConstructed {
    CannotBeConstructed() {
      throw new IllegalStateException("no instance");
    }

    @Test
    void notConstructed() {}
  }

  @LeakCheck(mode = LeakCheck.Mode.WARN)
  static class Warns {
    @Test
    void warns() {
      hold(Scope.open("warned"));
    }
  }

  @LeakCheck
  static class OptsOut {
    @Test
    @LeakCheck(enabled = false)
    void optedOut() {
      hold(Scope.open("opted-out"));
    }
  }

  private static final List<Class<?>> FIXTURES =
      List.of(
          Clean.class,
          LeaksScope.class,
          LeaksThread.class,
          LeaksInField.class,
          CannotBeConstructed.class,
          Warns.class,
          OptsOut.class);

  // ---------------------------------------------------------------------------------------------
  // The tests
  // ---------------------------------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(strings = {"5.10.2", "5.12.2", "6.1.3"})
  void leakCheck_worksOn(String version) throws Exception {
    // Before 5.12, JUnit gives a pre-construct callback the class's context, where the test is
    // not known: the check begins at @BeforeEach, and a scope a field initializer leaks is older
    // than the check (documented).
    boolean startsBeforeConstruction = !version.startsWith("5.10.") && !version.startsWith("5.11.");
    String site = " (opened at JupiterVersionsTest$";
    List<String> expected =
        new ArrayList<>(
            List.of(
                "junit-jupiter-api " + version,
                "clean() SUCCESSFUL",
                "leaksScope() FAILED AssertionError: 1 scope leaked: held"
                    + site
                    + "LeaksScope.leaksScope:N) still owns AudioStream x1",
                "leaksThread() FAILED AssertionError: 1 thread still running: virtual-leak"
                    + " (virtual)",
                startsBeforeConstruction
                    ? "leaksInField() FAILED AssertionError: 1 scope leaked: field"
                        + site
                        + "LeaksInField.<init>:N) is still open"
                    : "leaksInField() SUCCESSFUL",
                "notConstructed() FAILED IllegalStateException: no instance",
                "warns() SUCCESSFUL",
                "warns() lifecycle.leaks=1 scope leaked: warned"
                    + site
                    + "Warns.warns:N) is still open",
                "optedOut() SUCCESSFUL",
                "leak level SAMPLED, after the run SAMPLED"));
    List<String> actual = runIsolated(version, FIXTURES);
    assertEquals(sorted(expected), sorted(actual));
  }

  /** The Runner, run on the JUnit of the build: the harness itself is sound. */
  @Test
  void runner_onTheBuildsOwnJUnit_reportsResults() throws Exception {
    List<String> out = Runner.run(LeaksScope.class.getName(), OptsOut.class.getName());
    assertTrue(
        out.contains(
            "leaksScope() FAILED AssertionError: 1 scope leaked: held (opened at"
                + " JupiterVersionsTest$LeaksScope.leaksScope:N) still owns AudioStream x1"),
        out::toString);
    assertTrue(out.contains("optedOut() SUCCESSFUL"), out::toString);
  }

  private static List<String> sorted(List<String> lines) {
    return lines.stream().sorted().toList();
  }

  /** Runs {@code fixtures} on JUnit {@code version}, in a class loader of their own. */
  @SuppressWarnings("unchecked")
  private static List<String> runIsolated(String version, List<Class<?>> fixtures)
      throws Exception {
    Path testClasses = location(JupiterVersionsTest.class);
    Path jars = testClasses.getParent().resolve("jupiter").resolve(version);
    assertTrue(
        Files.isDirectory(jars),
        () -> jars + " is missing: the build copies it (mvn generate-test-resources)");
    List<URL> urls = new ArrayList<>();
    try (Stream<Path> files = Files.list(jars)) {
      for (Path jar : files.filter(f -> f.toString().endsWith(".jar")).sorted().toList()) {
        urls.add(jar.toUri().toURL());
      }
    }
    urls.add(location(Lifecycle.class).toUri().toURL()); // lifecycle-core
    urls.add(location(com.google.errorprone.annotations.CheckReturnValue.class).toUri().toURL());
    urls.add(location(LeakCheck.class).toUri().toURL()); // this module
    urls.add(testClasses.toUri().toURL()); // the fixtures, Leftovers, the Runner
    // Not closed: the runtime copy's cleaner thread may still load classes from it.
    URLClassLoader loader =
        new URLClassLoader(
            "jupiter-" + version, urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
    Thread current = Thread.currentThread();
    ClassLoader context = current.getContextClassLoader();
    current.setContextClassLoader(loader); // the launcher finds its engines through it
    try {
      Method run =
          Class.forName(Runner.class.getName(), true, loader).getMethod("run", String[].class);
      run.setAccessible(true);
      return (List<String>)
          run.invoke(null, (Object) fixtures.stream().map(Class::getName).toArray(String[]::new));
    } finally {
      current.setContextClassLoader(context);
    }
  }

  private static Path location(Class<?> c) throws Exception {
    return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  /**
   * Runs test classes through the JUnit Platform launcher of the class loader it was loaded by,
   * and returns what happened, one line each: {@code "name() STATUS [Type: first line]"}, {@code
   * "name() key=first line"} for a report entry, the JUnit version, and the leak level before and
   * after. Line numbers are replaced by "N". Uses only launcher API that JUnit 5.10 has.
   */
  static final class Runner {
    private Runner() {}

    public static List<String> run(String... classNames) throws IOException, InterruptedException {
      List<String> out = new CopyOnWriteArrayList<>();
      out.add(
          "junit-jupiter-api " + ExtensionContext.class.getPackage().getImplementationVersion());
      String before = Lifecycle.leakLevel().toString();
      LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request();
      for (String name : classNames) {
        request.selectors(DiscoverySelectors.selectClass(name));
      }
      LauncherFactory.create()
          .execute(
              request.build(),
              new TestExecutionListener() {
                @Override
                public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                  if (id.isTest()) {
                    out.add(
                        id.getDisplayName()
                            + " "
                            + result.getStatus()
                            + result.getThrowable().map(Runner::describe).orElse(""));
                  }
                }

                @Override
                public void reportingEntryPublished(TestIdentifier id, ReportEntry entry) {
                  entry
                      .getKeyValuePairs()
                      .forEach((k, v) -> out.add(id.getDisplayName() + " " + k + "=" + first(v)));
                }
              });
      Leftovers.cleanUp();
      out.add("leak level " + before + ", after the run " + Lifecycle.leakLevel());
      return List.copyOf(out);
    }

    private static String describe(Throwable t) {
      return " " + t.getClass().getSimpleName() + ": " + first(t.getMessage());
    }

    private static String first(String message) {
      return message.lines().findFirst().orElse("").replaceAll(":\\d+\\)", ":N)");
    }
  }
}
